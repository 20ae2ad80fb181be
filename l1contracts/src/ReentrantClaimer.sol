// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice TEST ONLY: an L1 withdrawal recipient that tries to claim again
/// from inside the payout, to show Rollup.withdraw() refuses re-entry.
interface IClaim {
    function withdraw() external;
}

contract ReentrantClaimer {
    IClaim public immutable rollup;
    uint256 public reentries;

    constructor(IClaim rollup_) {
        rollup = rollup_;
    }

    function claim() external {
        rollup.withdraw();
    }

    receive() external payable {
        reentries++;
        rollup.withdraw(); // must revert, failing the payout
    }
}
