package vm

import (
	"math/rand"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/stretchr/testify/require"
)

// TestRandomSequencesConserveMoney runs random transaction sequences, valid
// and invalid, through many batches and checks after each one that the sum
// of balances plus withdrawn funds equals deposits, that the trace is a
// consistent chain of leaf updates, and that the public data replays to the
// same balances.
func TestRandomSequencesConserveMoney(t *testing.T) {
	seeds := 20
	if testing.Short() {
		seeds = 5
	}
	accepted := map[TxType]int{}
	for seed := int64(1); seed <= int64(seeds); seed++ {
		rng := rand.New(rand.NewSource(seed))
		c := newChain(t)
		c.cfg.Slots = 12
		const accounts = 6
		nonces := map[uint32]uint32{}
		replay := map[uint32]uint64{} // balances rebuilt from public data alone
		// A follower rebuilds the whole state from what L1 holds: the
		// public data and the deposit queue.
		follower := NewMemStore(c.cfg.Depth)
		queue := map[uint64]PriorityRequest{}
		for batch := 0; batch < 8; batch++ {
			b := c.batch()
			for b.StepsUsed() < c.cfg.Slots-3 {
				i := uint32(rng.Intn(accounts))
				j := uint32(rng.Intn(accounts))
				var tx Tx
				switch r := rng.Intn(10); {
				case r < 3 || c.keys[i] == nil:
					tx = c.deposit(b, "acct"+string(rune('a'+i)), i, uint64(rng.Intn(1_000_000)+1))
				case r < 8:
					if c.keys[j] == nil {
						j = i
					}
					tx = c.transfer(i, j, RoundAmount(uint64(rng.Intn(400_000))), RoundFee(uint64(rng.Intn(50))), nonces[i])
				default:
					tx = c.withdraw(i, common.Address{byte(i + 1)}, uint64(rng.Intn(300_000))+1, RoundFee(uint64(rng.Intn(50))), nonces[i])
				}
				if rng.Intn(8) == 0 && tx.Type.IsSigned() {
					tx.Nonce++ // an invalid one now and then
				}
				if err := b.Apply(&tx); err != nil {
					require.True(t, IsRejection(err), "seed %d: %v", seed, err)
					continue
				}
				accepted[tx.Type]++
				if tx.Type.IsSigned() {
					nonces[tx.From]++
				}
			}
			sb := c.commit(b)
			requireTraceConsistent(t, sb)
			c.requireConserved()

			for _, tx := range sb.Txs {
				if tx.Type == TxDeposit {
					queue[tx.PriorityID] = PriorityRequest{Key: DepositKeyOf(tx.PubKey), Amount: tx.Amount}
				}
			}
			fhead, err := follower.Head()
			require.NoError(t, err)
			cs, err := ReplayPublicData(c.cfg, follower.ReaderAt(fhead.BatchNumber), fhead, sb.After.Timestamp, sb.PublicData,
				func(id uint64) (PriorityRequest, error) { return queue[id], nil })
			require.NoError(t, err, "seed %d batch %d: replay", seed, batch)
			require.Equal(t, sb.After, cs.Meta, "seed %d batch %d: the follower reaches the sequencer's state", seed, batch)
			require.NoError(t, follower.Commit(cs))

			ops, err := DecodePublicData(sb.PublicData)
			require.NoError(t, err)
			for _, op := range ops {
				switch op.Op {
				case OpDeposit, OpFeePayout:
					replay[op.Account] += op.Amount
				case OpTransfer:
					replay[op.Account] -= op.Amount + op.Fee
					replay[op.To] += op.Amount
				case OpWithdraw:
					replay[op.Account] -= op.Amount + op.Fee
				}
			}
			r := c.store.ReaderAt(sb.After.BatchNumber)
			for i := uint32(0); i < accounts; i++ {
				a, _, err := r.Leaf(uint64(i))
				require.NoError(t, err)
				require.Equal(t, replay[i], a.Balance, "seed %d account %d: public data must replay to the state", seed, i)
			}
		}
	}
	t.Logf("accepted: %v", accepted)
	for _, typ := range []TxType{TxDeposit, TxTransfer, TxWithdraw} {
		require.Greater(t, accepted[typ], 10, "the generator must exercise %s", typ)
	}
}
