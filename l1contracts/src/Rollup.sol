// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Poseidon2} from "./Poseidon2.sol";

/// @notice A Groth16 verifier gnark exports: one for the batch circuit,
/// one for the exit circuit.
interface IBatchVerifier {
    /// @dev Reverts unless `proof` (256 bytes, gnark's MarshalSolidity) proves `input`.
    function verifyProof(bytes calldata proof, uint256[1] calldata input) external view;
}

/// @title Keel rollup
/// @notice Holds the layer-2 state root and moves it forward one proven
/// batch at a time. Deposits enter a priority queue whose running Poseidon2
/// hash the batch circuit consumes; withdrawals found in a batch's public
/// data become claimable here once the batch is verified.
/// @dev The public input is the low 253 bits of
///   sha256(chainId u64 | batch u64 | timestamp u64 | operator u32 |
///          oldRoot | newRoot |
///          prioCountBefore u64 | prioHashBefore | prioCountAfter u64 |
///          prioHashAfter | publicData)
/// exactly as vm.BatchCommitment computes it.
///
/// Exodus: if a priority request waits more than `exodusDelay` L1 blocks,
/// the sequencer has stopped or is censoring, and anyone may switch the
/// contract into exodus mode for good. Batches and deposits then stop; each
/// account exits once with a proof (the exit circuit) of its balance in the
/// last verified root, and deposits no batch consumed are refunded to their
/// depositors.
contract Rollup {
    // ---- configuration -------------------------------------------------
    IBatchVerifier public immutable verifier;
    /// @notice The L2 chain id every L2 signature binds.
    uint64 public immutable chainId;
    /// @notice The L2 account index that receives the fees.
    uint32 public immutable operatorAccount;
    /// @notice Steps per batch: the public data is slots 12-byte records
    /// and a payout map of ceil(slots / 8) bytes.
    uint32 public immutable slots;
    /// @notice The verifier of exit proofs (the exit circuit's key).
    IBatchVerifier public immutable exitVerifier;
    /// @notice L1 blocks a priority request may wait before anyone can
    /// activate exodus mode.
    uint64 public immutable exodusDelay;
    /// @notice The state tree's depth: accounts are 0 .. 2^depth - 1.
    uint8 public immutable depth;

    // ---- state ---------------------------------------------------------
    address public owner;
    address public sequencer;
    uint256 public stateRoot;
    uint64 public batchNumber;
    /// @notice The last verified batch's timestamp (unix seconds): the
    /// clock of L2 rules such as channel challenge periods.
    uint64 public lastTimestamp;
    /// @notice prioHashes[i] is the queue's running hash after i requests.
    uint256[] public prioHashes;
    /// @notice How many priority requests verified batches have consumed.
    uint64 public prioConsumed;
    /// @notice Wei each L1 address may claim with withdraw().
    mapping(address => uint256) public pendingWithdrawals;
    /// @notice Wei owed to claimants in total; the contract always holds at least this.
    uint256 public totalPending;
    /// @notice prioRequests[i] is request i's depositor (160 bits), amount
    /// in gwei (64) and L1 block (32), packed: what a refund and the
    /// exodus deadline need. Zero once refunded.
    mapping(uint256 => uint256) public prioRequests;
    /// @notice Set for good once a priority request expired.
    bool public exodusMode;
    /// @notice Accounts that have exited in exodus mode.
    mapping(uint32 => bool) public exited;
    /// @notice Where each exited account's balance went: its channel
    /// shares follow it there.
    mapping(uint32 => address) public exitedTo;

    /// @notice A payment channel settled on L1 in exodus mode: its parties'
    /// accounts, its locked total, the state it stands at (version, A's
    /// share) and the L1 time (unix seconds, as L2 batch time) from which
    /// its shares may be claimed. A newer co-signed state replaces the
    /// standing one until then.
    struct ChannelSettlement {
        uint32 a;
        uint32 b;
        uint64 total;
        uint64 version;
        uint64 splitA;
        uint64 deadline;
        bool paidA;
        bool paidB;
    }

    /// @notice Channels being settled in exodus mode, by leaf.
    mapping(uint32 => ChannelSettlement) public channelSettlements;

    uint256 private locked = 1;

    // ---- constants -----------------------------------------------------
    uint256 private constant RECORD = 12;
    /// @notice How far a batch's timestamp may lag L1 time when it is
    /// committed (Arbitrum bounds its sequencer's the same way). A channel
    /// whose challenge period exceeds this plus the exodus delay can
    /// always be defended through requestChannelChallenge.
    uint64 public constant MAX_TIMESTAMP_LAG = 1 days;
    /// @dev vm.TxFullExit, the kind of a full-exit request in the queue hash.
    uint256 private constant KIND_FULL_EXIT = 9;
    /// @dev vm.TxForcedChallenge, the kind of a forced channel challenge in the queue hash.
    uint256 private constant KIND_FORCED_CHALLENGE = 11;
    /// @dev The order of the curve's prime subgroup: signatures' S must be below it.
    uint256 private constant SUBGROUP_ORDER = 2736030358979909402780800718157159386076813972158567259200215660948447373041;
    uint256 private constant COMMITMENT_MASK = (uint256(1) << 253) - 1;
    /// @dev vm.ExitTag: the type byte of an exit's signed message and commitment.
    uint256 private constant EXIT_TAG = 14;
    /// @dev vm.ChannelExitTag: the type byte of a channel claim's commitment.
    uint256 private constant CHANNEL_EXIT_TAG = 16;
    /// @dev vm.ChannelClosing, the status of a channel closed unilaterally.
    uint256 private constant CHANNEL_CLOSING = 2;
    /// @dev vm.OpDepositRefund, the opcode of a refund's record.
    uint8 private constant OP_DEPOSIT_REFUND = 0x11;
    /// @dev BN254 scalar field, the field of L2 keys' coordinates.
    uint256 private constant Q = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    /// @dev Twisted Edwards d of gnark-crypto's BN254 curve (a = -1).
    uint256 private constant EDWARDS_D = 12181644023421730124874158521699555681764249180949974110617291017600649128846;

    // ---- events --------------------------------------------------------
    /// @notice A deposit entered the priority queue as request `index`.
    event Deposit(uint64 indexed index, address indexed from, bytes32 key, uint64 amountGwei, uint256 prioHash);
    /// @notice A full exit of `account` to `to` entered the priority queue
    /// as request `index`, with the account's nonce it names and the
    /// account key's signature (R, S).
    event FullExitRequested(uint64 indexed index, uint32 indexed account, uint32 nonce, address to, uint256 rX, uint256 rY, uint256 s, uint256 prioHash);
    /// @notice A challenge of the channel in leaf `channel` entered the
    /// priority queue as request `index`: the channel state (version,
    /// final, balances) and both parties' EdDSA signatures of it, (R.X,
    /// R.Y, S) each.
    event ChannelChallengeRequested(
        uint64 indexed index,
        uint32 indexed channel,
        uint64 version,
        bool isFinal,
        uint64 balanceA,
        uint64 balanceB,
        uint256[3] sigA,
        uint256[3] sigB,
        uint256 prioHash
    );
    /// @notice Batch `batch` was verified and moved the root to `newRoot`.
    event BatchCommitted(uint64 indexed batch, uint256 newRoot, uint256 commitment, uint64 prioConsumed);
    /// @notice A batch made `amountWei` claimable by `to`: a withdrawal, a
    /// full exit or a refunded deposit.
    event WithdrawalPending(uint64 indexed batch, address indexed to, uint256 amountWei);
    /// @notice `to` claimed `amountWei`.
    event WithdrawalClaimed(address indexed to, uint256 amountWei);
    event SequencerChanged(address indexed previous, address indexed next);
    event OwnerChanged(address indexed previous, address indexed next);
    /// @notice Request `request`, made in L1 block `requestBlock`, expired: exodus mode is on.
    event ExodusActivated(uint64 request, uint256 requestBlock);
    /// @notice In exodus, `account` exited with `amountGwei`, claimable by `to`.
    event Exited(uint32 indexed account, address indexed to, uint64 amountGwei);
    /// @notice In exodus, the channel in leaf `channel` stands at
    /// `version`, A's share `splitA`, claimable from L1 time `deadline`.
    event ChannelSettling(uint32 indexed channel, uint64 version, uint64 splitA, uint64 deadline);
    /// @notice In exodus, `account`'s share of the channel in leaf
    /// `channel` became claimable by `to`.
    event ChannelSharePaid(uint32 indexed channel, uint32 indexed account, address indexed to, uint64 amountGwei);
    /// @notice In exodus, unprocessed deposit `index` was refunded to `to`.
    event DepositRefunded(uint64 indexed index, address indexed to, uint64 amountGwei);

    // ---- errors --------------------------------------------------------
    error NotOwner();
    error NotSequencer();
    error Reentrant();
    error DepositNotWholeGwei();
    error DepositAmountOutOfRange();
    error KeyNotCanonical(bytes32 key);
    error BadPublicDataLength(uint256 got, uint256 want);
    error PriorityCountOutOfRange(uint64 got, uint64 consumed, uint256 available);
    error NothingToWithdraw();
    error PayoutFailed();
    error ZeroAddress();
    error BadTimestamp(uint64 got, uint64 last, uint256 l1Time);
    error ExodusActive();
    error NotInExodus();
    error NoExpiredRequest(uint64 oldestPending, uint256 deadlineBlock);
    error AlreadyExited(uint32 account);
    error NotRefundable(uint64 index);
    error AccountOutOfRange(uint32 account, uint8 depth);
    error InvalidSignature();
    error ChannelNotSettling(uint32 channel);
    error ChannelPeriodOver(uint32 channel, uint64 deadline);
    error ChannelPeriodRunning(uint32 channel, uint64 deadline);
    error StaleChannelState(uint32 channel, uint64 version, uint64 standing);
    error ShareAlreadyPaid(uint32 channel, uint32 account);
    error NotExited(uint32 account);
    // The verifiers' errors (gnark's ExportSolidity, Verifier.sol), which
    // commitBatch and exit pass through unchanged: declared here too so that
    // the Rollup's ABI names them for wallets, ethers and cast.
    error ProofInvalid();
    error PublicInputNotInField();

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner();
        _;
    }

    modifier nonReentrant() {
        if (locked != 1) revert Reentrant();
        locked = 2;
        _;
        locked = 1;
    }

    modifier notExodus() {
        if (exodusMode) revert ExodusActive();
        _;
    }

    constructor(
        IBatchVerifier verifier_,
        IBatchVerifier exitVerifier_,
        uint64 exodusDelay_,
        uint8 depth_,
        uint64 chainId_,
        uint32 operatorAccount_,
        uint32 slots_,
        uint256 genesisRoot,
        address sequencer_
    ) {
        if (address(verifier_) == address(0) || address(exitVerifier_) == address(0) || sequencer_ == address(0)) revert ZeroAddress();
        verifier = verifier_;
        exitVerifier = exitVerifier_;
        exodusDelay = exodusDelay_;
        depth = depth_;
        chainId = chainId_;
        operatorAccount = operatorAccount_;
        slots = slots_;
        stateRoot = genesisRoot;
        owner = msg.sender;
        sequencer = sequencer_;
        prioHashes.push(0);
        emit OwnerChanged(address(0), msg.sender);
        emit SequencerChanged(address(0), sequencer_);
    }

    // ---- deposits ------------------------------------------------------

    /// @notice Deposits msg.value (whole gwei) to the L2 key `key`, the 32
    /// bytes `keel account` prints (gnark-crypto's compressed point: y
    /// little-endian, x's sign in the top bit of the last byte). A wallet
    /// needs no curve arithmetic, and neither does this: the queue keeps y
    /// and the sign, and the batch circuit decompresses the key. A valid
    /// key (a point of the prime-order subgroup, not the identity) is
    /// credited; any other deposit is consumed and paid back to msg.sender
    /// (see queueWithdrawals), so no key can jam the queue or lose the
    /// money. Refused here only: a y that is no field element.
    function deposit(bytes32 key) external payable notExodus {
        if (msg.value % 1 gwei != 0) revert DepositNotWholeGwei();
        uint256 amount = msg.value / 1 gwei;
        if (amount == 0 || amount > type(uint64).max) revert DepositAmountOutOfRange();
        uint256 word = uint256(key);
        uint256 sign = (word >> 7) & 1; // the last byte's top bit
        uint256 y = reverseBytes(word) & ~(uint256(1) << 255);
        if (y >= Q) revert KeyNotCanonical(key);
        uint256 index = prioHashes.length - 1;
        uint256 h = Poseidon2.hashChain3(prioHashes[index], (uint256(1) << 72) | (sign << 64) | amount, y);
        prioHashes.push(h);
        prioRequests[index] = (uint256(uint160(msg.sender)) << 96) | (amount << 32) | uint256(uint32(block.number));
        emit Deposit(uint64(index), msg.sender, key, uint64(amount), h);
    }

    /// @dev The 32 bytes of v in reverse order: a little-endian word read.
    function reverseBytes(uint256 v) internal pure returns (uint256) {
        v = ((v >> 8) & 0x00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF)
            | ((v & 0x00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF) << 8);
        v = ((v >> 16) & 0x0000FFFF0000FFFF0000FFFF0000FFFF0000FFFF0000FFFF0000FFFF0000FFFF)
            | ((v & 0x0000FFFF0000FFFF0000FFFF0000FFFF0000FFFF0000FFFF0000FFFF0000FFFF) << 16);
        v = ((v >> 32) & 0x00000000FFFFFFFF00000000FFFFFFFF00000000FFFFFFFF00000000FFFFFFFF)
            | ((v & 0x00000000FFFFFFFF00000000FFFFFFFF00000000FFFFFFFF00000000FFFFFFFF) << 32);
        v = ((v >> 64) & 0x0000000000000000FFFFFFFFFFFFFFFF0000000000000000FFFFFFFFFFFFFFFF)
            | ((v & 0x0000000000000000FFFFFFFFFFFFFFFF0000000000000000FFFFFFFFFFFFFFFF) << 64);
        return (v >> 128) | (v << 128);
    }

    /// @notice Asks for `account`'s whole L2 balance to be paid to `to` on
    /// L1 through the priority queue, which the sequencer must process in
    /// order (or let exodus mode start). (rX, rY, s) is the account key's
    /// EdDSA signature of vm.TxFullExit's message, which names the chain,
    /// the account, its current L2 `nonce` and `to`. The batch circuit pays
    /// only if the signature holds and `nonce` is the account's; paying
    /// advances the nonce, so that this request, filed again by anyone,
    /// pays nothing. Any other request is consumed as a no-op. The checks
    /// here only make sure the circuit can process any request this
    /// accepts.
    function requestFullExit(uint32 account, uint32 nonce, address to, uint256 rX, uint256 rY, uint256 s) external notExodus {
        if (to == address(0)) revert ZeroAddress();
        if (uint256(account) >> depth != 0) revert AccountOutOfRange(account, depth);
        if (s >= SUBGROUP_ORDER || rX >= Q || rY >= Q || !onCurve(rX, rY)) revert InvalidSignature();
        uint256 index = prioHashes.length - 1;
        uint256 head = (KIND_FULL_EXIT << 224) | (uint256(nonce) << 192) | (uint256(account) << 160) | uint256(uint160(to));
        uint256 h = Poseidon2.compress(Poseidon2.hashChain4(prioHashes[index], head, rX, rY), s);
        prioHashes.push(h);
        prioRequests[index] = (uint256(uint160(msg.sender)) << 96) | uint256(uint32(block.number));
        emit FullExitRequested(uint64(index), account, nonce, to, rX, rY, s, h);
    }

    /// @notice Files a challenge of a closing payment channel through the
    /// priority queue, for a party whose L2 challenge the sequencer does
    /// not include: the batch circuit must consume it in order (or let
    /// exodus mode start). It carries the channel state both parties
    /// signed (vm.ChannelState: `version`, `isFinal`, `balanceA`,
    /// `balanceB`; the chain and channel id come from the chain and the
    /// channel leaf) and their signatures (R.X, R.Y, S). The batch applies
    /// it when the leaf holds a closing channel whose deadline has not
    /// passed, the version is newer, the balances add up to the locked
    /// total and both signatures hold; anything else is consumed as a
    /// no-op. The checks here only make sure the circuit can process any
    /// request this accepts.
    function requestChannelChallenge(
        uint32 channel,
        uint64 version,
        bool isFinal,
        uint64 balanceA,
        uint64 balanceB,
        uint256[3] calldata sigA,
        uint256[3] calldata sigB
    ) external notExodus {
        if (uint256(channel) >> depth != 0) revert AccountOutOfRange(channel, depth);
        checkSignature(sigA);
        checkSignature(sigB);
        uint256 index = prioHashes.length - 1;
        uint256 head = (KIND_FORCED_CHALLENGE << 225) | (uint256(channel) << 193) | ((isFinal ? uint256(1) : 0) << 192)
            | (uint256(version) << 128) | (uint256(balanceA) << 64) | uint256(balanceB);
        uint256 h = Poseidon2.compress(Poseidon2.hashChain4(prioHashes[index], head, sigA[0], sigA[1]), sigA[2]);
        h = Poseidon2.compress(Poseidon2.hashChain4(h, 0, sigB[0], sigB[1]), sigB[2]);
        prioHashes.push(h);
        prioRequests[index] = (uint256(uint160(msg.sender)) << 96) | uint256(uint32(block.number));
        emit ChannelChallengeRequested(uint64(index), channel, version, isFinal, balanceA, balanceB, sigA, sigB, h);
    }

    /// @dev Refuses a signature the batch circuit could not read: R on the
    /// curve, coordinates and S reduced.
    function checkSignature(uint256[3] calldata sig) internal pure {
        if (sig[2] >= SUBGROUP_ORDER || sig[0] >= Q || sig[1] >= Q || !onCurve(sig[0], sig[1])) revert InvalidSignature();
    }

    /// @dev -x^2 + y^2 == 1 + d x^2 y^2 (x, y < Q).
    function onCurve(uint256 x, uint256 y) internal pure returns (bool) {
        uint256 x2 = mulmod(x, x, Q);
        uint256 y2 = mulmod(y, y, Q);
        return addmod(Q - x2, y2, Q) == addmod(1, mulmod(EDWARDS_D, mulmod(x2, y2, Q), Q), Q);
    }

    /// @notice Number of priority requests ever made.
    function prioCount() external view returns (uint64) {
        return uint64(prioHashes.length - 1);
    }

    // ---- batches -------------------------------------------------------

    /// @notice Verifies a batch's proof and moves the state forward.
    /// @param newRoot the state root after the batch
    /// @param newPrioConsumed priority requests consumed once the batch is applied
    /// @param publicData the batch's public data: slots 12-byte records, then
    /// the payout map, a bit per slot (vm.PublicDataSize)
    /// @param proof the Groth16 proof, 256 bytes
    /// @dev `timestamp` may not go back, nor run ahead of L1 time, nor lag
    /// it by more than MAX_TIMESTAMP_LAG: the sequencer can neither
    /// fast-forward L2 time to cut a challenge period short, nor backdate a
    /// channel's dispute so that its period is over, in L1 time, before
    /// anyone saw it (which would leave no time for a forced challenge).
    function commitBatch(uint256 newRoot, uint64 newPrioConsumed, uint64 timestamp, bytes calldata publicData, bytes calldata proof)
        external
        notExodus
    {
        if (msg.sender != sequencer) revert NotSequencer();
        if (timestamp < lastTimestamp || timestamp > block.timestamp || timestamp + MAX_TIMESTAMP_LAG < block.timestamp) {
            revert BadTimestamp(timestamp, lastTimestamp, block.timestamp);
        }
        uint256 records = uint256(slots) * RECORD;
        if (publicData.length != records + (uint256(slots) + 7) / 8) {
            revert BadPublicDataLength(publicData.length, records + (uint256(slots) + 7) / 8);
        }
        if (newPrioConsumed < prioConsumed || newPrioConsumed >= prioHashes.length) {
            revert PriorityCountOutOfRange(newPrioConsumed, prioConsumed, prioHashes.length - 1);
        }
        uint64 next = batchNumber + 1;
        uint256 commitment = batchCommitment(next, timestamp, newRoot, newPrioConsumed, publicData);
        verifier.verifyProof(proof, [commitment]);

        stateRoot = newRoot;
        batchNumber = next;
        lastTimestamp = timestamp;
        uint64 prioBefore = prioConsumed;
        prioConsumed = newPrioConsumed;
        emit BatchCommitted(next, newRoot, commitment, newPrioConsumed);
        queueWithdrawals(next, prioBefore, publicData);
    }

    /// @notice The batch circuit's public input for batch `next` (see the
    /// contract doc): what vm.BatchCommitment computes.
    function batchCommitment(uint64 next, uint64 timestamp, uint256 newRoot, uint64 newPrioConsumed, bytes calldata publicData) public view returns (uint256) {
        bytes memory header = abi.encodePacked(chainId, next, timestamp, operatorAccount, stateRoot, newRoot);
        bytes memory prio = abi.encodePacked(prioConsumed, prioHashes[prioConsumed], newPrioConsumed, prioHashes[newPrioConsumed]);
        return uint256(sha256(bytes.concat(header, prio, publicData))) & COMMITMENT_MASK;
    }

    /// @dev Credits every withdrawal, full-exit and refund record: WITHDRAW
    /// or FULL_EXIT (idx from, u64 amount) followed by two DATA records
    /// holding the fee and the L1 address, or REFUND (u24 position of the
    /// request among those the batch consumed, from prioBefore; u64
    /// amount), whose depositor prioRequests names. The payout map after the records
    /// has a bit for each slot, set on these heads alone (the first slot is
    /// the first byte's top bit); the proof binds it to the records. So this
    /// reads the map a word at a time and visits the payouts only: a
    /// transfer costs nothing here.
    function queueWithdrawals(uint64 batch, uint256 prioBefore, bytes calldata pd) internal {
        uint256 n = slots;
        uint256 mapStart = n * RECORD;
        for (uint256 base = 0; base < n; base += 256) {
            uint256 bits;
            assembly ("memory-safe") {
                bits := calldataload(add(pd.offset, add(mapStart, shr(3, base))))
            }
            // Clear what lies past the map: the ABI's padding or the next
            // argument.
            if (n - base < 256) bits &= ~(type(uint256).max >> (n - base));
            while (bits != 0) {
                uint256 top = mostSignificantBit(bits);
                bits ^= uint256(1) << top;
                uint256 off = (base + 255 - top) * RECORD;
                uint256 amount = uint64(bytes8(pd[off + 4:off + 12]));
                address to;
                if (uint8(pd[off]) == OP_DEPOSIT_REFUND) {
                    to = address(uint160(prioRequests[prioBefore + uint24(bytes3(pd[off + 1:off + 4]))] >> 96));
                } else {
                    to = address(bytes20(bytes.concat(pd[off + RECORD + 3:off + 2 * RECORD], pd[off + 2 * RECORD + 1:off + 3 * RECORD])));
                }
                uint256 wei_ = amount * 1 gwei;
                pendingWithdrawals[to] += wei_;
                totalPending += wei_;
                emit WithdrawalPending(batch, to, wei_);
            }
        }
    }

    /// @dev The index of x's highest set bit (x > 0), by binary search.
    function mostSignificantBit(uint256 x) private pure returns (uint256 r) {
        unchecked {
            if (x >= 1 << 128) { x >>= 128; r += 128; }
            if (x >= 1 << 64) { x >>= 64; r += 64; }
            if (x >= 1 << 32) { x >>= 32; r += 32; }
            if (x >= 1 << 16) { x >>= 16; r += 16; }
            if (x >= 1 << 8) { x >>= 8; r += 8; }
            if (x >= 1 << 4) { x >>= 4; r += 4; }
            if (x >= 1 << 2) { x >>= 2; r += 2; }
            if (x >= 1 << 1) { r += 1; }
        }
    }

    /// @notice Pays the caller everything their withdrawals made claimable.
    function withdraw() external nonReentrant {
        uint256 amount = pendingWithdrawals[msg.sender];
        if (amount == 0) revert NothingToWithdraw();
        pendingWithdrawals[msg.sender] = 0;
        totalPending -= amount;
        emit WithdrawalClaimed(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert PayoutFailed();
    }

    // ---- exodus --------------------------------------------------------

    /// @notice Switches the contract into exodus mode, for good, if the
    /// oldest priority request no batch has consumed was made more than
    /// exodusDelay blocks ago. Anyone may call it.
    function activateExodus() external notExodus {
        uint64 oldest = prioConsumed;
        if (oldest >= prioHashes.length - 1) revert NoExpiredRequest(oldest, 0);
        uint256 madeAt = uint32(prioRequests[oldest]);
        uint256 deadline = madeAt + exodusDelay;
        if (block.number <= deadline) revert NoExpiredRequest(oldest, deadline);
        exodusMode = true;
        emit ExodusActivated(oldest, madeAt);
    }

    /// @notice In exodus mode, pays `account`'s balance in the last
    /// verified state to `to` (claimable with withdraw()), once per account.
    /// The proof shows that the account holds exactly `amountGwei` under
    /// stateRoot and that its own L2 key signed this exit to `to`; anyone
    /// may submit it.
    function exit(uint32 account, uint64 amountGwei, address to, bytes calldata proof) external {
        if (!exodusMode) revert NotInExodus();
        if (exited[account]) revert AlreadyExited(account);
        if (to == address(0)) revert ZeroAddress();
        verifyExit(account, amountGwei, to, proof);
        exited[account] = true;
        exitedTo[account] = to;
        uint256 wei_ = uint256(amountGwei) * 1 gwei;
        pendingWithdrawals[to] += wei_;
        totalPending += wei_;
        emit Exited(account, to, amountGwei);
    }

    /// @notice The exit circuit's public input for an exit from the last
    /// verified root, as vm.Exit.Commitment computes it.
    function exitCommitment(uint32 account, uint64 amountGwei, address to) public view returns (uint256) {
        uint256 head = (EXIT_TAG << 96) | (uint256(chainId) << 32) | uint256(account);
        return Poseidon2.hashChain4(head, stateRoot, amountGwei, uint256(uint160(to)));
    }

    function verifyExit(uint32 account, uint64 amountGwei, address to, bytes calldata proof) private view {
        exitVerifier.verifyProof(proof, [exitCommitment(account, amountGwei, to)]);
    }

    /// @notice In exodus mode, settles the payment channel in leaf `channel`
    /// on L1 time. The proof (the exit circuit, as vm.ChannelExit) shows
    /// that the last verified root holds the channel whose packed fields
    /// are `leafX`, `leafY` and `total` (vm.ChannelLeaf), and that
    /// (`version`, `balanceA`, `balanceB`) is either its recorded state or
    /// a state both parties' keys signed. The first claim on a channel
    /// starts its settlement at its recorded state: a channel already
    /// closing keeps its deadline; an open one gets its challenge period
    /// from now. Until the deadline, any newer co-signed state replaces
    /// the standing one, exactly as a challenge does on L2; after it, each
    /// party's share is claimable (claimChannelShare).
    function channelExit(
        uint32 channel,
        uint256 leafX,
        uint256 leafY,
        uint64 total,
        uint64 version,
        uint64 balanceA,
        uint64 balanceB,
        bytes calldata proof
    ) external {
        if (!exodusMode) revert NotInExodus();
        exitVerifier.verifyProof(proof, [channelExitCommitment(channel, leafX, leafY, total, version, balanceA, balanceB)]);
        ChannelSettlement storage c = channelSettlements[channel];
        if (c.total == 0) {
            // vm.ChannelLeaf: X = status 8 | A 32 | B 32 | open nonce 32 |
            // period 32 | deadline 64; Y = version 64 | split A 64. A
            // channel always locks something, so total 0 marks no claim.
            c.a = uint32(leafX >> 160);
            c.b = uint32(leafX >> 128);
            c.total = total;
            c.version = uint64(leafY >> 64);
            c.splitA = uint64(leafY);
            c.deadline = (leafX >> 192) == CHANNEL_CLOSING ? uint64(leafX) : uint64(block.timestamp) + uint64(uint32(leafX >> 64));
            if (version <= c.version) {
                emit ChannelSettling(channel, c.version, c.splitA, c.deadline);
                return;
            }
        }
        if (block.timestamp >= c.deadline) revert ChannelPeriodOver(channel, c.deadline);
        if (version <= c.version) revert StaleChannelState(channel, version, c.version);
        c.version = version;
        c.splitA = balanceA;
        emit ChannelSettling(channel, version, balanceA, c.deadline);
    }

    /// @notice The exit circuit's public input for a claim on the channel
    /// in leaf `channel` of the last verified root, as
    /// vm.ChannelExit.Commitment computes it.
    function channelExitCommitment(uint32 channel, uint256 leafX, uint256 leafY, uint64 total, uint64 version, uint64 balanceA, uint64 balanceB)
        public
        view
        returns (uint256)
    {
        uint256 head = (CHANNEL_EXIT_TAG << 96) | (uint256(chainId) << 32) | uint256(channel);
        uint256 state = (uint256(version) << 128) | (uint256(balanceA) << 64) | uint256(balanceB);
        return Poseidon2.compress(Poseidon2.compress(Poseidon2.hashChain4(head, stateRoot, leafX, leafY), total), state);
    }

    /// @notice Once a settling channel's deadline has passed, pays party A's
    /// (or, with `partyB`, party B's) share of its standing state to where
    /// that party's account exited (exit), once. Anyone may call it.
    function claimChannelShare(uint32 channel, bool partyB) external nonReentrant {
        ChannelSettlement storage c = channelSettlements[channel];
        if (c.total == 0) revert ChannelNotSettling(channel);
        if (block.timestamp < c.deadline) revert ChannelPeriodRunning(channel, c.deadline);
        uint32 account = partyB ? c.b : c.a;
        if (partyB ? c.paidB : c.paidA) revert ShareAlreadyPaid(channel, account);
        address to = exitedTo[account];
        if (to == address(0)) revert NotExited(account);
        if (partyB) {
            c.paidB = true;
        } else {
            c.paidA = true;
        }
        uint64 share = partyB ? c.total - c.splitA : c.splitA;
        uint256 wei_ = uint256(share) * 1 gwei;
        pendingWithdrawals[to] += wei_;
        totalPending += wei_;
        emit ChannelSharePaid(channel, account, to, share);
    }

    /// @notice In exodus mode, returns deposit `index`, which no verified
    /// batch consumed, to its depositor (claimable with withdraw()).
    function refundDeposit(uint64 index) external {
        if (!exodusMode) revert NotInExodus();
        uint256 rec = prioRequests[index];
        if (index < prioConsumed || rec == 0) revert NotRefundable(index);
        prioRequests[index] = 0;
        address to = address(uint160(rec >> 96));
        uint64 amount = uint64(rec >> 32);
        uint256 wei_ = uint256(amount) * 1 gwei;
        pendingWithdrawals[to] += wei_;
        totalPending += wei_;
        emit DepositRefunded(index, to, amount);
    }

    // ---- administration ------------------------------------------------

    /// @notice Rotates the sequencer, the only address that may commit batches.
    function setSequencer(address next) external onlyOwner {
        if (next == address(0)) revert ZeroAddress();
        emit SequencerChanged(sequencer, next);
        sequencer = next;
    }

    /// @notice Hands ownership to `next`.
    function transferOwnership(address next) external onlyOwner {
        if (next == address(0)) revert ZeroAddress();
        emit OwnerChanged(owner, next);
        owner = next;
    }
}
