package sponsor

import "errors"

// Errors of the sponsor. A refusal of one transaction is not an error of
// the service: the handler answers it as a *client.SponsorRefusal, which
// names the code and the reason. These sentinels are what the ledger and
// the policy return, wrapped with the detail.
var (
	// ErrPolicy means the policy file is not one the service can enforce:
	// a key it does not know, a value of the wrong kind or out of range.
	// Critical: fix the file and start again; the message names the key.
	ErrPolicy = errors.New("sponsor: bad policy")
	// ErrBudget means a charge would take the day's spending past the
	// daily budget. A verdict on one transaction: the budget refills at
	// the next UTC midnight.
	ErrBudget = errors.New("sponsor: daily budget spent")
	// ErrRate means the user has had as many transactions sponsored in the
	// last hour as the policy allows. A verdict on one transaction: retry
	// when the oldest of them is an hour old.
	ErrRate = errors.New("sponsor: user's hourly rate reached")
	// ErrCorrupt means the ledger holds bytes that do not decode.
	// Critical: the spending record cannot be trusted, so the service
	// signs nothing until the data directory is restored or removed.
	ErrCorrupt = errors.New("sponsor: corrupt ledger")
	// ErrClosed means the ledger was used after Close: a lifecycle bug in
	// the caller.
	ErrClosed = errors.New("sponsor: ledger closed")
)
