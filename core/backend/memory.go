package backend

// Memory is the in-memory Backend of the simulator and the browser. It keeps
// no bytes of a file, only a model of one: every committed B+tree node knows
// the page(s) it occupies, the freelist knows the rest, and the page map
// (Pages) says what each page of the file holds. Sizes therefore move the way
// a bbolt file's do: they grow on writes, stay put on deletes, and shrink
// only by Defrag.
//
// Interface: NewMemory, Restore (snapshot.go), the Backend methods, Pages and
// Stats.

import "sort"

// Memory implements Backend. It is not safe for concurrent use; nothing in
// the core is.
type Memory struct {
	txid       uint64           // id of the last commit
	nextOwner  uint64           // id for the next write transaction's nodes; never reused
	roots      map[string]*node // committed root node of each bucket
	pages      []PageInfo       // the page map; len(pages) is the high-water mark
	free       freelist
	freelistAt pgid // pages holding the freelist, and how many
	freelistN  int
	dirAt      pgid // pages holding the bucket directory, and how many
	dirN       int
	readers    map[uint64]int // open read transactions per commit txid they read
	writer     *writeTx       // the open write transaction, or nil
}

// NewMemory returns an empty file laid out as bbolt lays out a new one: two
// meta pages, a freelist page and an empty root bucket page.
func NewMemory() *Memory {
	m := &Memory{
		nextOwner: 1,
		roots:     map[string]*node{},
		free:      newFreelist(),
		readers:   map[uint64]int{},
	}
	m.resetFile()
	return m
}

// resetFile empties the page map down to the four pages of a new file.
func (m *Memory) resetFile() {
	m.pages = []PageInfo{
		{ID: uint64(metaPage0), Kind: PageMeta, FillBytes: metaBytes},
		{ID: uint64(metaPage1), Kind: PageMeta, FillBytes: metaBytes},
		{ID: uint64(firstFreelist), Kind: PageFreelist, FillBytes: pageHeaderBytes},
		{ID: uint64(firstDirPage), Kind: PageBuckets, FillBytes: pageHeaderBytes},
	}
	m.free = newFreelist()
	m.freelistAt, m.freelistN = firstFreelist, 1
	m.dirAt, m.dirN = firstDirPage, 1
}

// metaBytes is the size of bbolt's meta struct (magic, version, page size,
// flags, root bucket, freelist, pgid, txid, checksum).
const metaBytes = 64

// BeginRead starts a read transaction on the last commit.
func (m *Memory) BeginRead() ReadTx {
	m.readers[m.txid]++
	return &readTx{m: m, txid: m.txid, roots: m.roots, counted: true}
}

// BeginWrite starts the write transaction. Pages freed by commits that no
// open reader can see any more become reusable now (bbolt: beginRWTx ->
// freePages).
func (m *Memory) BeginWrite() WriteTx {
	if m.writer != nil {
		panic("backend.Memory.BeginWrite: a write transaction is already open")
	}
	m.releasePending()
	roots := make(map[string]*node, len(m.roots))
	for name, r := range m.roots {
		roots[name] = r
	}
	w := &writeTx{
		readTx: readTx{m: m, txid: m.txid, roots: roots},
		id:     m.nextOwner,
		seq:    map[string]bool{},
		dirty:  map[string]bool{},
	}
	m.nextOwner++
	m.writer = w
	return w
}

// releasePending frees the pending pages that no open reader still needs.
func (m *Memory) releasePending() {
	minReader, any := uint64(0), false
	for txid, n := range m.readers {
		if n > 0 && (!any || txid < minReader) {
			minReader, any = txid, true
		}
	}
	for _, id := range m.free.release(minReader, !any) {
		m.pages[id] = PageInfo{ID: uint64(id), Kind: PageFree}
	}
}

// Size is the high-water mark of the file in bytes.
func (m *Memory) Size() int64 { return int64(len(m.pages)) * pageSize }

// SizeInUse is Size minus the free pages (etcd counts pending pages as in
// use: it subtracts bbolt's Stats.FreePageN only).
func (m *Memory) SizeInUse() int64 {
	return m.Size() - int64(len(m.free.free))*pageSize
}

// Pages returns the page map, one entry per page of the file, in id order.
func (m *Memory) Pages() []PageInfo {
	return append([]PageInfo(nil), m.pages...)
}

// Stats summarizes the file, as bbolt's DB.Stats and Tx.Stats do.
type Stats struct {
	TxID         uint64 // last commit
	PageCount    int    // pages in the file (the high-water mark)
	FreePageN    int    // pages on the freelist
	PendingPageN int    // pages freed but still visible to an open reader
	LeafPageN    int    // pages of leaf nodes (first pages and overflow)
	BranchPageN  int    // pages of branch nodes (first pages and overflow)
	OpenReadTxN  int    // read transactions not yet rolled back
}

// Stats counts the pages of the file by kind.
func (m *Memory) Stats() Stats {
	s := Stats{TxID: m.txid, PageCount: len(m.pages)}
	owner := PageFree
	for _, p := range m.pages {
		kind := p.Kind
		if kind == PageOverflow {
			kind = owner
		} else {
			owner = kind
		}
		switch kind {
		case PageFree:
			s.FreePageN++
		case PagePending:
			s.PendingPageN++
		case PageLeaf:
			s.LeafPageN++
		case PageBranch:
			s.BranchPageN++
		}
	}
	for _, n := range m.readers {
		s.OpenReadTxN += n
	}
	return s
}

// bucketNames lists the buckets of roots in order.
func bucketNames(roots map[string]*node) []string {
	names := make([]string, 0, len(roots))
	for name := range roots {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
