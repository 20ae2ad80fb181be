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

// node returns the cached node for a reader at version v, and the cache
// version to hand to fillNode on a miss.
func (c *headCache) node(v uint64, k vm.NodeKey) (e cachedNode, hit bool, seen uint64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if v != c.version {
		return cachedNode{}, false, 0
	}
	e, hit = c.nodes[k]
	return e, hit, c.version
}

func (c *headCache) leaf(v uint64, i uint64) (e cachedLeaf, hit bool, seen uint64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if v != c.version {
		return cachedLeaf{}, false, 0
	}
	e, hit = c.leaves[i]
	return e, hit, c.version
}

// fillNode caches what a reader at v read from pebble, if v is the
// version the cache had before the read (seen) and still has.
func (c *headCache) fillNode(v, seen uint64, k vm.NodeKey, e cachedNode) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v != seen || c.version != seen {
		return
	}
	c.makeRoom()
	c.nodes[k] = e
}

func (c *headCache) fillLeaf(v, seen uint64, i uint64, e cachedLeaf) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v != seen || c.version != seen {
		return
	}
	c.makeRoom()
	c.leaves[i] = e
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
