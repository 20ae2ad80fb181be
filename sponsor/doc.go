// Package sponsor is a fee sponsor: a service through which an
// application pays the L2 fees of its users' transfers and withdrawals
// (vm.Tx.Sponsored). A user signs a transaction that names the sponsor's
// account and the fee the sponsor pays; the service checks it against its
// Policy, charges the fee to its Ledger and co-signs it
// (vm.Tx.SignSponsor); the user sends it to the node as any other. The
// sponsor's account pays the fee when the transaction executes.
//
// The package owns the policy (what the sponsor pays for: accounts,
// transaction types, the most fee per transaction, a daily budget and a
// per-account hourly rate), the ledger (what it has spent, durably) and
// the HTTP service. It does not own the transaction format or the
// signatures, which are package vm's, nor the wire types of its API,
// which are package client's (client.SponsorInfo, client.SponsorResult,
// client.SponsorRefusal), so that a wallet links the client without the
// service. It imports only vm and client.
//
// # Policy
//
// A policy file (LoadPolicy) is TOML:
//
//	accounts = [1, 2, 3]              # user accounts; absent or [] = any
//	types = ["transfer", "withdraw"]
//	max_fee = "1000"                  # gwei per transaction (integer or decimal string)
//	daily_budget = "1000000"          # gwei per UTC day
//	per_user_per_hour = 20            # per account, sliding hour
//
// An unknown key, a missing one or a bad value is an error naming the key.
//
// # Spending is durable before it is signed
//
// Ledger.Charge checks the day's budget and the user's rate and writes
// the charge in one synced pebble batch, under one mutex, before the
// service answers with the co-signature. So concurrent requests never
// overspend, and a restart or a crash never forgets a charge that was
// answered: a budget never resets but at UTC midnight. The reverse can
// happen: a charge written whose answer was lost. The ledger charges each
// transaction (the user's signed message, which binds the nonce) once, so
// the client's retry gets its signature back for nothing.
//
// Junk cannot spend the budget: the service checks the user's signature
// against the account's key on the node, and the nonce against the
// account's (not used yet, at most Config.NonceWindow ahead), so that an
// executed transaction replayed to the service is refused. A user who
// signs many transactions with one nonce, of which only one can execute,
// spends at most the hourly rate.
//
// # Usage
//
//	pol, err := sponsor.LoadPolicy("policy.toml")
//	node, err := client.Dial(ctx, "http://127.0.0.1:9545")
//	s, err := sponsor.New(sponsor.Config{
//		Key: key, Account: 3, ChainID: chainID, Policy: pol,
//		DataDir: dir, ListenAddr: "127.0.0.1:8650", Node: node,
//	}, log, nil)
//	err = s.Start(ctx)
//	defer s.Stop(ctx)
//
// A client (client.SponsorClient, or `keel transfer --sponsor URL`) asks
// GET /info for the terms, signs, and POSTs the transaction's JSON to
// /sponsor:
//
//	GET  /info     {"sponsor": 3, "chainId": "…", "maxFee": "…", "types": […],
//	                "dailyBudget": "…", "spentToday": "…", "perUserPerHour": 20}
//	POST /sponsor  the signed vm.Tx JSON, with "sponsor" set
//	             → 200 {"tx": <the tx with "sponsorSignature">, "hash": "0x…"}
//	             → 4xx/5xx {"error": "<reason>", "code": "<code>"}
//
// The codes are client.SponsorCode's: malformed and chain (400); type,
// account, fee and signature (403); nonce (409); budget and rate (429);
// unavailable (503, the node did not answer); internal (500, the ledger
// could not write). Bodies over Config.MaxBodyBytes are refused (413).
// Service.Sponsor is the same check for a caller in the same process.
package sponsor
