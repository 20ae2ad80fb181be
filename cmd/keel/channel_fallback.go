package main

import (
	"errors"
	"flag"
	"fmt"

	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/statechan"
)

// l1FallbackFlags are a watcher's L1 fallback settings (statechan.L1Path):
// the L1 target, the key that pays the gas, and how long an L2 challenge
// may go unsequenced first. Without --l1-key the watcher has no fallback.
type l1FallbackFlags struct {
	url, rollup, key *string
	blocks           *uint64
}

func addL1FallbackFlags(f *flag.FlagSet) *l1FallbackFlags {
	var l l1FallbackFlags
	l.url, l.rollup, _ = addL1TargetFlags(f)
	l.key = addL1KeyFlag(f, "that pays the gas of the watcher's L1 fallback (none without it)")
	l.blocks = f.Uint64("fallback-blocks", statechan.DefaultFallbackBlocks, "L1 `BLOCKS` an L2 challenge may go unsequenced before the watcher files it on L1")
	return &l
}

// check validates the flags alone, before the command does anything.
func (l *l1FallbackFlags) check() error {
	if *l.blocks == 0 {
		return errors.New("--fallback-blocks 0: want at least 1 L1 block")
	}
	if *l.key == "" && (*l.url != "" || *l.rollup != "") {
		return errors.New("--l1-rpc and --rollup are for the L1 fallback: add --l1-key to pay its gas")
	}
	return nil
}

// apply sets cfg's fallback from the flags: the L1 path over the L1 the
// node names (or --l1-rpc and --rollup), resolving channel leaves through
// the node c. The returned close releases the L1 connection.
func (l *l1FallbackFlags) apply(g *globals, c *client.Client, cfg *statechan.WatcherConfig) (closeL1 func(), err error) {
	if err := l.check(); err != nil {
		return nil, err
	}
	cfg.FallbackBlocks = *l.blocks
	if *l.key == "" {
		return func() {}, nil
	}
	eth, err := parseL1Key(*l.key)
	if err != nil {
		return nil, err
	}
	t, err := resolveL1(g, *l.url, *l.rollup)
	if err != nil {
		return nil, fmt.Errorf("the L1 fallback: %w", err)
	}
	l1, err := t.dial(g)
	if err != nil {
		return nil, fmt.Errorf("the L1 fallback: %w", err)
	}
	cfg.L1 = &client.L1Path{Backend: l1, Rollup: t.rollup, Key: eth, Leaf: client.NodeLeaf(c)}
	return l1.Close, nil
}
