package sequencer

import (
	"sync"

	"github.com/keel-rollup/keel/vm"
)

// headCacheEntries bounds the head cache: about 100 bytes an entry, so
// some 25 MiB. The top of the tree, which every seal reads, stays in by
// being read again and again; the rest turns over.
const headCacheEntries = 1 << 18

// headCache keeps nodes and leaves of the newest committed version in
// memory, so that the next seal, the admission path's sender lookups and
// the executor's reads do not each seek pebble for what the last batch
// just wrote or read. It is a read-through cache of one version:
//
//   - Only a read at exactly the cache's version is served or filled; a
//     reader of an older version, or of one above the head (which pebble
//     shows as the head until the next commit lands), goes to pebble.
//   - Commit writes the change set in once pebble has it, and moves the
//     cache to the new version; whatever the change set does not name is
//     unchanged between the versions, so it stays valid.
//   - A miss is filled only if no commit came between the pebble read and
//     the fill. The read was at the cache's version, so even a commit that
//     reached pebble meanwhile cannot have leaked into it.
//
// When full it forgets an arbitrary sixteenth (Go's map order is random),
// which keeps the hot top levels statistically and costs nothing to run.
type headCache struct {
	mu      sync.RWMutex
	version uint64
	nodes   map[vm.NodeKey]cachedNode
	leaves  map[uint64]cachedLeaf
}

type cachedNode struct {
	h  vm.Element
	ok bool // false: never written, the empty subtree
}

type cachedLeaf struct {
	a  vm.Account
	ok bool
}

func newHeadCache(version uint64) *headCache {
	return &headCache{version: version, nodes: make(map[vm.NodeKey]cachedNode), leaves: make(map[uint64]cachedLeaf)}
}

// lookup returns m's entry for a reader at version v, and the cache
// version to hand to fill on a miss. m is c.nodes or c.leaves.
func lookup[K comparable, V any](c *headCache, m map[K]V, v uint64, k K) (e V, hit bool, seen uint64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if v != c.version {
		return e, false, 0
	}
	e, hit = m[k]
	return e, hit, c.version
}

// fill caches what a reader at v read from pebble, if v is the version
// the cache had before the read (seen) and still has.
func fill[K comparable, V any](c *headCache, m map[K]V, v, seen uint64, k K, e V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v != seen || c.version != seen {
		return
	}
	c.makeRoom()
	m[k] = e
}

func (c *headCache) makeRoom() {
	if len(c.nodes)+len(c.leaves) < headCacheEntries {
		return
	}
	drop := headCacheEntries / 16
	for k := range c.nodes {
		if drop--; drop <= 0 {
			return
		}
		delete(c.nodes, k)
	}
	for i := range c.leaves {
		if drop--; drop <= 0 {
			return
		}
		delete(c.leaves, i)
	}
}

// commit moves the cache to cs's version once pebble holds it.
func (c *headCache) commit(cs *vm.ChangeSet) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, h := range cs.Nodes {
		c.makeRoom()
		c.nodes[k] = cachedNode{h: h, ok: true}
	}
	for i, a := range cs.Leaves {
		c.makeRoom()
		c.leaves[i] = cachedLeaf{a: a, ok: true}
	}
	c.version = cs.Meta.BatchNumber
}
