package circuits

import "github.com/consensys/gnark/frontend"

// leafState is a leaf's fields as the rules read them (vm.Account and
// vm.ChannelLeaf share the layout: a channel packs its fields into X and Y).
type leafState struct{ kind, x, y, nonce, balance, aux frontend.Variable }

// leafChange is what one operation adds to a leaf's fields. Every term is
// zero unless the operation is the step's, so a step's new leaf is the old
// one plus the sum of every operation's change; nil reads as zero.
type leafChange struct{ kind, x, y, nonce, balance, aux frontend.Variable }

// apply returns l plus the changes.
func (b *batchAPI) apply(l leafState, changes ...leafChange) leafState {
	sum := func(base frontend.Variable, field func(leafChange) frontend.Variable) frontend.Variable {
		terms := []frontend.Variable{base, 0}
		for _, c := range changes {
			if v := field(c); v != nil {
				terms = append(terms, v)
			}
		}
		return b.api.Add(terms[0], terms[1], terms[2:]...)
	}
	return leafState{
		kind:    sum(l.kind, func(c leafChange) frontend.Variable { return c.kind }),
		x:       sum(l.x, func(c leafChange) frontend.Variable { return c.x }),
		y:       sum(l.y, func(c leafChange) frontend.Variable { return c.y }),
		nonce:   sum(l.nonce, func(c leafChange) frontend.Variable { return c.nonce }),
		balance: sum(l.balance, func(c leafChange) frontend.Variable { return c.balance }),
		aux:     sum(l.aux, func(c leafChange) frontend.Variable { return c.aux }),
	}
}

// leafHash is the VM's leaf hash, 0 for an empty leaf (kind 0).
func (b *batchAPI) leafHash(l leafState) frontend.Variable {
	return b.leafHashKeyed(b.h.Compress(l.x, l.y), l)
}

// leafHashKeyed is leafHash with the key's half, Compress(x, y), given:
// a leaf whose key a step leaves alone hashes it once for both sides.
func (b *batchAPI) leafHashKeyed(key frontend.Variable, l leafState) frontend.Variable {
	full := b.h.Compress(key, b.h.Compress(PackState(b.api, l.kind, l.nonce, l.balance), l.aux))
	return b.api.Select(b.api.IsZero(l.kind), 0, full)
}

// root folds a leaf hash up its path; indexBits are little-endian.
func (b *batchAPI) root(leaf frontend.Variable, indexBits, siblings []frontend.Variable) frontend.Variable {
	cur := leaf
	for l, s := range siblings {
		left := b.api.Add(cur, b.api.Mul(indexBits[l], b.api.Sub(s, cur)))
		right := b.api.Sub(b.api.Add(cur, s), left)
		cur = b.h.Compress(left, right)
	}
	return cur
}

// update checks the leaf hash before against the running root and returns
// the root with the leaf hash after in its place, on the same path.
func (b *batchAPI) update(l *LeafSlot, indexBits []frontend.Variable, before, after, running frontend.Variable) frontend.Variable {
	b.api.AssertIsEqual(b.root(before, indexBits, l.Siblings), running)
	return b.root(after, indexBits, l.Siblings)
}
