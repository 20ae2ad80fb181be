package node

import (
	"context"
	"errors"
	"fmt"

	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/sequencer"
	"github.com/keel-rollup/keel/statechan"
	"github.com/keel-rollup/keel/vm"
)

// The node can guard payment channels for parties who are offline: given a
// party's statechan store (Config.WatchChannels, or WatchChannels at run
// time), it runs a statechan.Watcher over it that answers a stale
// unilateral close with the latest co-signed state in the store. It reads
// the chain and submits the challenge through its own sequencer, so it
// needs no RPC round trip and sees a close as soon as its batch is sealed.
// A store is locked by whoever opens it: hand it to the node while the
// party's own `keel channel listen` or `watch` is not running.

// seqChain is statechan.Chain over the node's sequencer.
type seqChain struct {
	seq     *sequencer.Sequencer
	chainID uint64
}

var _ statechan.Chain = seqChain{}

// ClosingState reports the channel's recorded state while it is closing,
// as the last sealed batch left it. The chain keeps no signatures of it;
// the watcher compares versions only.
func (c seqChain) ClosingState(_ context.Context, channelID uint64) (vm.ChannelState, vm.Signature, vm.Signature, bool, error) {
	none := func(err error) (vm.ChannelState, vm.Signature, vm.Signature, bool, error) {
		return vm.ChannelState{}, vm.Signature{}, vm.Signature{}, false, err
	}
	leaf, ok, err := c.seq.ChannelLeaf(channelID)
	if err != nil || !ok {
		return none(err)
	}
	ch, found, _, err := c.seq.Channel(leaf)
	if err != nil || !found || ch.ID() != channelID || ch.Status != vm.ChannelClosing {
		return none(err)
	}
	st := vm.ChannelState{ChainID: c.chainID, ChannelID: channelID, Version: ch.Version, BalanceA: ch.SplitA, BalanceB: ch.Total - ch.SplitA}
	return st, vm.Signature{}, vm.Signature{}, true, nil
}

// Challenge submits the co-signed state as a challenge of its closing
// channel. One already pending or sealed counts as submitted: the watcher
// polls faster than batches seal.
func (c seqChain) Challenge(_ context.Context, st vm.ChannelState, sigA, sigB vm.Signature) error {
	leaf, ok, err := c.seq.ChannelLeaf(st.ChannelID)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("node: channel %d is not on L2", st.ChannelID)
	}
	tx := &vm.Tx{Type: vm.TxChanChallenge, Channel: leaf}
	tx.SetChannelState(st)
	tx.Sig, tx.SigB = sigA, sigB
	if _, err := c.seq.SendTransaction(tx); err != nil && !errors.Is(err, sequencer.ErrAlreadyKnown) {
		return err
	}
	return nil
}

// channelLeaf is the leaf of a channel the sequencer knows.
func (n *Node) channelLeaf(_ context.Context, id uint64) (uint32, error) {
	leaf, ok, err := n.seq.ChannelLeaf(id)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, fmt.Errorf("node: channel %d is not on L2", id)
	}
	return leaf, nil
}

// WatchChannels has the running node watch the channels in the statechan
// store at dir until it stops. The store stays locked by the node.
func (n *Node) WatchChannels(ctx context.Context, dir string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.started || n.stopped || n.seq == nil {
		return errors.New("node: not running")
	}
	return n.watchChannels(ctx, dir)
}

// startWatchers is the Start step for Config.WatchChannels.
func (n *Node) startWatchers(ctx context.Context) error {
	for _, dir := range n.cfg.WatchChannels {
		if err := n.watchChannels(ctx, dir); err != nil {
			return err
		}
	}
	return nil
}

// watchChannels opens the store and starts its watcher; mu is held.
func (n *Node) watchChannels(ctx context.Context, dir string) error {
	log := n.log.With().Str("component", "chanwatch").Str("store", dir).Logger()
	st, err := statechan.OpenStore(dir, &statechan.StoreOptions{Logger: log})
	if err != nil {
		return fmt.Errorf("watch the channels in %s: %w (is a keel channel command using the store?)", dir, err)
	}
	if n.chanMetrics == nil {
		if n.chanMetrics, err = statechan.NewPromMetrics(n.reg); err != nil {
			st.Close()
			return err
		}
	}
	wc := statechan.WatcherConfig{
		Chain: seqChain{seq: n.seq, chainID: n.cfg.ChainID}, States: st,
		Interval: n.cfg.ChannelWatchInterval, Logger: log, Metrics: n.chanMetrics,
		FallbackBlocks: n.cfg.ChannelFallbackBlocks,
	}
	if n.cfg.ChannelL1Key != nil {
		wc.L1 = &client.L1Path{Backend: n.l1client, Rollup: n.deploy.Rollup, Key: n.cfg.ChannelL1Key, Leaf: n.channelLeaf}
	}
	w, err := statechan.NewWatcher(wc)
	if err == nil {
		err = w.Start(ctx)
	}
	if err != nil {
		st.Close()
		return err
	}
	n.onStop(func(ctx context.Context) error { return errors.Join(w.Stop(ctx), st.Close()) })
	ids, _ := st.Channels()
	log.Info().Int("channels", len(ids)).Msg("watching channels for stale closes")
	return nil
}
