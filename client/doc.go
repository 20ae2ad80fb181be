// Package client is Keel's Go SDK: a typed client of a node's keel_
// JSON-RPC namespace, helpers that build and sign transactions, and the L1
// helpers a user needs around it (deposit, claim). The keel command is
// built on it, and so can any wallet or service.
//
// The package owns the wire types of the API (types.go) and their
// meaning. It does not own keys, signing or transaction encoding, which
// are package vm's, nor the server side, which is package node's; it
// imports neither node nor sequencer, so a client links none of the
// server.
//
// # Connecting
//
//	c, err := client.Dial(ctx, "http://127.0.0.1:9545") // or ws://… for subscriptions
//	if err != nil { … }
//	defer c.Close()
//	info, err := c.ChainInfo(ctx) // chain ids, Rollup address, progress
//
// Over HTTP nothing is sent until the first call, so a node that is not
// running shows up there, as an error wrapping ErrUnreachable. Errors the
// node answers with (a rejected transaction, bad params) keep the node's
// message, for example "sequencer: nonce already used: …".
//
// # Getting funds in: deposits on L1
//
// An L2 account is created by its first deposit. Deposits go through the
// Rollup contract on L1 and are credited by the sequencer once it reads
// the L1 log:
//
//	key, _ := vm.GenerateKey() // or vm.DeriveKey(ethKey, chainID), or vm.DecryptKey(file, password)
//	l1, _ := ethclient.DialContext(ctx, info.L1RPC)
//	rcpt, err := client.Deposit(ctx, l1, info.Rollup, ethKey, key.Public(), 1_000_000) // gwei
//	acc, err := c.AccountByKey(ctx, key.Public()) // nil until the sequencer credits it
//
// Amounts on L2 are whole gwei (uint64). A contract revert comes back as a
// *RevertError naming the contract's error and what to do about it.
//
// # Moving funds: transfers and withdrawals
//
//	h, err := c.Transfer(ctx, key, acc.Index, to, amount, fee)
//	r, err := c.WaitForStatus(ctx, h, client.StatusSequenced)
//
// Transfer and Withdraw read the chain id (once, then cached) and the
// sender's nonce from the node, check the transaction as the node will and
// sign it. The nonce is the soft-confirmed account's: send the next
// transaction from an account once the previous one is sequenced, or build
// and sign vm.Tx values yourself and use SendTransaction. To send many,
// share a Sender: it groups concurrent sends into keel_sendTransactions
// calls of up to 256, which the node checks and journals together at a
// fraction of the cost of single calls. A transfer's
// amount and every fee must be exactly encodable in the public data
// (vm.PackAmount, vm.PackFee); vm.RoundAmount and vm.RoundFee round down
// to the nearest amount that is.
//
// # Following a transaction
//
// A transaction goes pending → sequenced → proven → finalized, or
// pending → rejected (see TxStatus). WaitForStatus polls the receipt every
// PollInterval and works over HTTP; a rejection comes back as an error
// wrapping ErrRejected with the node's reason. Over ws://,
// SubscribeTxStatus pushes each change instead, and SubscribeBatches
// pushes every batch each time its status changes:
//
//	ch := make(chan client.Batch, 16)
//	sub, err := c.SubscribeBatches(ctx, ch)
//	defer sub.Unsubscribe()
//	for { select { case b := <-ch: …; case err := <-sub.Err(): … } }
//
// # Getting funds out
//
// A withdrawal moves gwei from an L2 account to an L1 address. Once its
// batch is finalized (the Rollup contract verified the batch's proof), the
// L1 address claims the ETH with Rollup.withdraw():
//
//	h, err := c.Withdraw(ctx, key, acc.Index, l1Addr, amount, fee)
//	_, err = c.WaitForStatus(ctx, h, client.StatusFinalized)
//	wei, err := client.PendingWithdrawal(ctx, l1, info.Rollup, l1Addr)
//	rcpt, err := client.Claim(ctx, l1, info.Rollup, ethKeyOfL1Addr)
//	paid := client.ClaimedWei(rcpt)
//
// Claim pays everything pending for the address at once, so it may pay
// several withdrawals; Withdrawals lists them.
//
// # Payment channels
//
// A channel locks funds of two accounts, A and B, so that they can pay
// each other off-chain (package statechan) and settle on L2 later:
//
//	h, id, err := c.OpenChannel(ctx, keyA, keyB, client.OpenChannelParams{
//		From: a, To: b, Amount: 5000, AmountB: 0, Fee: fee, Period: 3600}) // keyB may be nil when B locks nothing
//	r, err := c.WaitForStatus(ctx, h, client.StatusSequenced) // *r.Channel is the channel's leaf
//	ch, err := c.GetChannel(ctx, id) // once the batch is sealed; nil when settled
//
// When B funds and holds its key elsewhere, PrepareOpenChannel returns
// A's signed transaction for B to co-sign (vm.Tx.SignB) before
// SendTransaction. The channel's id, vm.ChannelIDOf(A, open nonce), is
// what every off-chain state signs; its leaf is what the settling
// transactions name:
//
//	c.SubmitChannelState(ctx, vm.TxChanClose, leaf, final, sigA, sigB)       // cooperative: a Final state
//	c.SubmitChannelState(ctx, vm.TxChanDispute, leaf, latest, sigA, sigB)    // unilateral: starts the challenge period (version 0: the closer's signature only)
//	c.SubmitChannelState(ctx, vm.TxChanChallenge, leaf, newer, sigA, sigB)   // a higher version, within it
//	c.FinalizeChannel(ctx, leaf)                                             // after it: pays the recorded state
//
// These four have no sender and no nonce: anyone may send them, and the
// signatures are checked when they execute, so a bad one shows up as a
// rejected receipt. ChannelChain implements statechan.Chain on top of the
// client, for a statechan.Watcher that answers stale closes.
package client
