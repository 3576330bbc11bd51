package backend

// A node of a bucket's B+tree, and the read paths through it. Leaves hold
// sorted key/value pairs; branches hold one (lowest key, child) element per
// child. Committed nodes are immutable: a write transaction copies every node
// it changes together with the path above it (copy-on-write, as bbolt does
// when it materializes a page into a node), so a read transaction that holds
// an old root keeps seeing the old tree while the writer builds a new one.
//
// Interface:
//
//	get(root, key)             the value of key, or nil
//	newCursor(root).seek(key)  iterate pairs from the first key >= key
//	(*node).size()             bytes the node takes on its page(s)

import (
	"bytes"
	"sort"
)

// node is one B+tree node. Invariant: keys are strictly increasing; a leaf
// has len(values) == len(keys); a branch has len(children) == len(keys) and
// keys[i] <= every key under children[i] (keys[0] may be stale-low until the
// commit rewrites it).
type node struct {
	leaf     bool
	id       pgid   // first page this node is written on; 0 until its first commit
	pages    int    // contiguous pages it occupies once written
	owner    uint64 // the write transaction allowed to change it in place (0: none)
	keys     [][]byte
	values   [][]byte // leaf only
	children []*node  // branch only
}

// minKeys is the fewest elements a node may keep before it is merged (bbolt:
// node.minKeys, 1 for a leaf and 2 for a branch).
func (n *node) minKeys() int {
	if n.leaf {
		return 1
	}
	return 2
}

// elementBytes is the bytes element i takes on the page.
func (n *node) elementBytes(i int) int {
	if n.leaf {
		return leafElementBytes + len(n.keys[i]) + len(n.values[i])
	}
	return branchElementBytes + len(n.keys[i])
}

// size is the bytes the node takes on its page(s).
func (n *node) size() int {
	s := pageHeaderBytes
	for i := range n.keys {
		s += n.elementBytes(i)
	}
	return s
}

// clone returns a copy of n that owner may change in place.
func (n *node) clone(owner uint64) *node {
	c := &node{leaf: n.leaf, owner: owner}
	c.keys = append(make([][]byte, 0, len(n.keys)+1), n.keys...)
	if n.leaf {
		c.values = append(make([][]byte, 0, len(n.values)+1), n.values...)
	} else {
		c.children = append(make([]*node, 0, len(n.children)+1), n.children...)
	}
	return c
}

// childIndex is the child of branch n whose subtree holds key: the last
// child whose lowest key is <= key, or the first child.
func (n *node) childIndex(key []byte) int {
	i := sort.Search(len(n.keys), func(i int) bool { return bytes.Compare(n.keys[i], key) > 0 })
	if i > 0 {
		i--
	}
	return i
}

// leafIndex is the position of the first key >= key in leaf n, and whether
// it equals key.
func (n *node) leafIndex(key []byte) (int, bool) {
	i := sort.Search(len(n.keys), func(i int) bool { return bytes.Compare(n.keys[i], key) >= 0 })
	return i, i < len(n.keys) && bytes.Equal(n.keys[i], key)
}

// get returns the value of key in the tree under root, or nil.
func get(root *node, key []byte) []byte {
	n := root
	for !n.leaf {
		if len(n.children) == 0 {
			return nil
		}
		n = n.children[n.childIndex(key)]
	}
	if i, ok := n.leafIndex(key); ok {
		return n.values[i]
	}
	return nil
}

// cursor walks the pairs of a tree in key order. Committed trees have no
// sibling pointers (copy-on-write would have to copy every sibling), so the
// cursor keeps the path from the root, as bbolt's Cursor keeps its stack.
type cursor struct {
	stack []frame
}

type frame struct {
	n *node
	i int
}

func newCursor(root *node) *cursor {
	return &cursor{stack: []frame{{n: root}}}
}

// seek positions the cursor on the first pair with a key >= key and returns
// it, or nil, nil at the end.
func (c *cursor) seek(key []byte) ([]byte, []byte) {
	c.stack = c.stack[:1]
	for {
		top := &c.stack[len(c.stack)-1]
		if top.n.leaf {
			top.i, _ = top.n.leafIndex(key)
			break
		}
		if len(top.n.children) == 0 {
			return nil, nil
		}
		top.i = top.n.childIndex(key)
		c.stack = append(c.stack, frame{n: top.n.children[top.i]})
	}
	return c.current()
}

// next moves to the following pair and returns it, or nil, nil at the end.
func (c *cursor) next() ([]byte, []byte) {
	c.stack[len(c.stack)-1].i++
	return c.current()
}

// current returns the pair under the cursor, climbing to the next leaf when
// the current one is exhausted.
func (c *cursor) current() ([]byte, []byte) {
	for {
		top := c.stack[len(c.stack)-1]
		if top.n.leaf && top.i < len(top.n.keys) {
			return top.n.keys[top.i], top.n.values[top.i]
		}
		if !top.n.leaf && top.i < len(top.n.children) {
			c.stack = append(c.stack, frame{n: top.n.children[top.i]})
			continue
		}
		// This node is exhausted: step the parent to its next child.
		if len(c.stack) == 1 {
			return nil, nil
		}
		c.stack = c.stack[:len(c.stack)-1]
		c.stack[len(c.stack)-1].i++
	}
}
