package circuits

// NewBatchCircuitUnbound is the batch circuit without its commitment check,
// for soundness tests.
func NewBatchCircuitUnbound(slots, depth int) *BatchCircuit {
	c := NewBatchCircuit(slots, depth)
	c.skipCommitment = true
	return c
}
