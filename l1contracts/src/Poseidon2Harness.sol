// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Poseidon2} from "./Poseidon2.sol";

/// @title Poseidon2Harness (TEST ONLY)
/// @notice Exposes the Poseidon2 library to Go tests, which compare it with
/// vm.Compress and vm.HashChain and measure its gas. Never deploy it: it
/// exists only so that a library of internal functions can be called from
/// outside, and its Go binding lives in a _test.go file.
contract Poseidon2Harness {
    function compress(uint256 l, uint256 r) external pure returns (uint256) {
        return Poseidon2.compress(l, r);
    }

    function hashChain4(uint256 a, uint256 b, uint256 c, uint256 d) external pure returns (uint256) {
        return Poseidon2.hashChain4(a, b, c, d);
    }

    /// @notice compressGas returns compress(l, r) and the gas the library
    /// call spent, without the transaction and ABI overhead around it.
    function compressGas(uint256 l, uint256 r) external view returns (uint256 h, uint256 gasUsed) {
        gasUsed = gasleft();
        h = Poseidon2.compress(l, r);
        gasUsed -= gasleft();
    }

    /// @notice hashChain4Gas is compressGas for hashChain4.
    function hashChain4Gas(uint256 a, uint256 b, uint256 c, uint256 d)
        external
        view
        returns (uint256 h, uint256 gasUsed)
    {
        gasUsed = gasleft();
        h = Poseidon2.hashChain4(a, b, c, d);
        gasUsed -= gasleft();
    }
}
