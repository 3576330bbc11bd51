package backend

// Commit: where the write transaction's nodes meet the file. It follows
// bbolt's Tx.Commit:
//
//  1. rebalance: a changed node below a quarter page (or with too few keys)
//     is merged into a sibling; a root branch with one child is collapsed
//     (bbolt: node.rebalance);
//  2. spill: every changed node, children first, is split into page-sized
//     parts — at the bucket's fill percent — and each part is written to
//     newly allocated pages (bbolt: node.spill). Untouched subtrees keep
//     their pages;
//  3. the bucket directory and the freelist are rewritten to new pages;
//  4. every page replaced on the way becomes pending under this commit's
//     txid; it turns free when no reader can see it (freelist.go).
//
//	before:  [meta][meta][free][dir][ L1 ][ L2 ][ B  ]
//	put k into L2, commit:
//	after:   [meta][meta][free][dir][ L1 ][pend][pend][ L2'][ B' ][dir'][free']
//	                 old freelist and dir pages are pending too

import "sort"

func (w *writeTx) Commit() error {
	if w.closed {
		return ErrTxClosed
	}
	defer w.Rollback()
	if len(w.dirty) == 0 && !w.newDir {
		return nil
	}
	m := w.m
	txid := m.txid + 1
	names := make([]string, 0, len(w.dirty))
	for name := range w.dirty {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fill := defaultFillPercent
		if w.seq[name] {
			fill = seqFillPercent
		}
		root := w.rebalanceRoot(w.roots[name])
		w.roots[name] = w.spillRoot(name, root, fill)
	}
	w.rewriteDirectory()
	w.rewriteFreelist(txid)
	m.txid = txid
	m.roots = w.roots
	return nil
}

// rewriteDirectory writes the bucket directory (bbolt's root bucket: one
// element per bucket holding its root page) to a new page.
func (w *writeTx) rewriteDirectory() {
	m := w.m
	size := pageHeaderBytes
	for name := range w.roots {
		size += leafElementBytes + len(name) + bucketHeaderBytes
	}
	w.freePages(m.dirAt, m.dirN)
	m.dirN = pageCount(size)
	m.dirAt = m.allocate(m.dirN)
	m.mark(m.dirAt, m.dirN, PageBuckets, "", size, len(w.roots))
}

// rewriteFreelist moves the pages freed by this commit to pending and writes
// the freelist, which records free and pending ids alike, to new pages.
func (w *writeTx) rewriteFreelist(txid uint64) {
	m := w.m
	w.freePages(m.freelistAt, m.freelistN)
	m.free.freeLater(txid, w.freed)
	for _, id := range w.freed {
		m.pages[id] = PageInfo{ID: uint64(id), Kind: PagePending}
	}
	size := pageHeaderBytes + freelistIDBytes*m.free.count()
	m.freelistN = pageCount(size)
	m.freelistAt = m.allocate(m.freelistN)
	m.mark(m.freelistAt, m.freelistN, PageFreelist, "", size, 0)
}

func (w *writeTx) freePages(first pgid, n int) {
	for i := 0; i < n; i++ {
		w.freed = append(w.freed, first+pgid(i))
	}
}

// rebalanceRoot merges underfull nodes of a changed tree and collapses a
// root branch left with fewer than two children.
func (w *writeTx) rebalanceRoot(root *node) *node {
	w.rebalance(root)
	for !root.leaf && len(root.children) <= 1 {
		if len(root.children) == 0 {
			return &node{leaf: true, owner: w.id}
		}
		root = root.children[0]
	}
	return root
}

// rebalance merges, below the changed branch n, every changed child that
// fell under a quarter page or under its minimum keys into a sibling, and
// removes empty ones (bbolt: node.rebalance).
func (w *writeTx) rebalance(n *node) {
	if n.leaf || n.owner != w.id {
		return
	}
	for _, c := range n.children {
		w.rebalance(c)
	}
	for i := 0; i < len(n.children); {
		c := n.children[i]
		underfull := c.size() < minFillBytes || len(c.keys) < c.minKeys()
		switch {
		case c.owner != w.id || !underfull:
			i++
		case len(c.keys) == 0:
			n.removeChild(i)
		case len(n.children) == 1:
			i++
		case i+1 < len(n.children):
			right := w.own(n.children[i+1])
			c.absorb(right)
			n.removeChild(i + 1)
		default:
			left := w.own(n.children[i-1])
			n.children[i-1] = left
			left.absorb(c)
			n.removeChild(i)
			i--
		}
	}
}

func (n *node) removeChild(i int) {
	n.keys = append(n.keys[:i], n.keys[i+1:]...)
	n.children = append(n.children[:i], n.children[i+1:]...)
}

// absorb appends the elements of o, its right sibling, to n.
func (n *node) absorb(o *node) {
	n.keys = append(n.keys, o.keys...)
	n.values = append(n.values, o.values...)
	n.children = append(n.children, o.children...)
}

// spillRoot spills a changed tree and grows a new root while the old one
// split into several parts.
func (w *writeTx) spillRoot(bucket string, root *node, fill float64) *node {
	parts := w.spill(bucket, root, fill)
	for len(parts) > 1 {
		parent := &node{owner: w.id}
		for _, p := range parts {
			parent.keys = append(parent.keys, p.keys[0])
			parent.children = append(parent.children, p)
		}
		parts = parent.split(fill)
		for _, p := range parts {
			w.write(bucket, p)
		}
	}
	return parts[0]
}

// spill writes the changed nodes under n, children first, and returns the
// nodes that replace n in its parent (more than one if n split).
func (w *writeTx) spill(bucket string, n *node, fill float64) []*node {
	if n.owner != w.id {
		return []*node{n}
	}
	if !n.leaf {
		kids := make([]*node, 0, len(n.children))
		for _, c := range n.children {
			kids = append(kids, w.spill(bucket, c, fill)...)
		}
		n.children = kids
		n.keys = make([][]byte, len(kids))
		for i, k := range kids {
			n.keys[i] = k.keys[0]
		}
	}
	parts := n.split(fill)
	for _, p := range parts {
		w.write(bucket, p)
	}
	return parts
}

// write allocates pages for node p and records them in the page map.
func (w *writeTx) write(bucket string, p *node) {
	size := p.size()
	p.pages = pageCount(size)
	p.id = w.m.allocate(p.pages)
	kind := PageLeaf
	if !p.leaf {
		kind = PageBranch
	}
	w.m.mark(p.id, p.pages, kind, bucket, size, len(p.keys))
}

// split cuts a node bigger than a page into parts of about fill × page size,
// leaving the remainder whole once it fits a page (bbolt: node.split and
// splitTwo, which keep at least minKeys per part).
func (n *node) split(fill float64) []*node {
	total, minKeys := n.size(), n.minKeys()
	threshold := int(fill * pageSize)
	var parts []*node
	start := 0
	for total > pageSize && len(n.keys)-start > 2*minKeys {
		size, i := pageHeaderBytes, start
		for ; i < len(n.keys)-minKeys; i++ {
			es := n.elementBytes(i)
			if i-start >= minKeys && size+es > threshold {
				break
			}
			size += es
		}
		parts = append(parts, n.slice(start, i))
		total -= size - pageHeaderBytes
		start = i
	}
	if start == 0 {
		return []*node{n}
	}
	return append(parts, n.slice(start, len(n.keys)))
}

// slice returns a new node with elements [a, b) of n.
func (n *node) slice(a, b int) *node {
	p := &node{leaf: n.leaf, owner: n.owner}
	p.keys = append([][]byte(nil), n.keys[a:b]...)
	if n.leaf {
		p.values = append([][]byte(nil), n.values[a:b]...)
	} else {
		p.children = append([]*node(nil), n.children[a:b]...)
	}
	return p
}

// allocate takes n contiguous pages from the freelist, or grows the file.
func (m *Memory) allocate(n int) pgid {
	if id, ok := m.free.allocate(n); ok {
		return id
	}
	id := pgid(len(m.pages))
	for i := 0; i < n; i++ {
		m.pages = append(m.pages, PageInfo{ID: uint64(id) + uint64(i)})
	}
	return id
}

// mark records in the page map that a node of size bytes occupies the n
// pages from first.
func (m *Memory) mark(first pgid, n int, kind PageKind, bucket string, size, items int) {
	for i := 0; i < n; i++ {
		fill := size - i*pageSize
		if fill > pageSize {
			fill = pageSize
		}
		p := PageInfo{ID: uint64(first) + uint64(i), Kind: kind, Bucket: bucket, FillBytes: fill, Items: items}
		if i > 0 {
			p.Kind, p.Items = PageOverflow, 0
		}
		m.pages[first+pgid(i)] = p
	}
}
