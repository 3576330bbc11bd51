package backend

// Pages: the unit in which a bbolt file is allocated, written and freed.
// Every page has an id (its offset divided by the page size) and a kind. A
// node of the B+tree (node.go) occupies one page, or a run of contiguous
// pages when it holds more than a page of data (an "overflow" run). The page
// map below is what the browser draws: one cell per page of the file.
//
// The sizes follow bbolt's layout: a 16-byte page header, then one 16-byte
// element per key (leafPageElement: flags, pos, ksize, vsize;
// branchPageElement: pos, ksize, pgid), then the key and value bytes.

import (
	"fmt"

	"github.com/etcdlab/etcdlab/core"
)

// pgid names a page: its offset in the file divided by the page size.
type pgid uint64

const (
	pageSize           = core.BackendPageBytes
	pageHeaderBytes    = 16 // bbolt: pageHeaderSize
	leafElementBytes   = 16 // bbolt: leafPageElementSize
	branchElementBytes = 16 // bbolt: branchPageElementSize
	freelistIDBytes    = 8  // one pgid in the freelist page
	bucketHeaderBytes  = 16 // bbolt: bucket{root pgid, sequence}

	// defaultFillPercent is how full a split leaves a page (bbolt:
	// DefaultFillPercent = 0.5); seqFillPercent is etcd's value for buckets
	// written in key order (backend: UnsafeSeqPut).
	defaultFillPercent = 0.5
	seqFillPercent     = 0.9
	// minFillBytes: a node written below a quarter page is merged with a
	// sibling (bbolt: node.rebalance threshold = pageSize / 4).
	minFillBytes = pageSize / 4

	// The first pages of a fresh file, as bbolt's init lays them out.
	metaPage0     pgid = 0
	metaPage1     pgid = 1
	firstFreelist pgid = 2
	firstDirPage  pgid = 3
	firstDataPage pgid = 4
)

// PageKind says what a page holds.
type PageKind uint8

const (
	PageFree     PageKind = iota // on the freelist, reusable
	PagePending                  // freed by a commit, still read by an older open read transaction
	PageMeta                     // one of the two meta pages (0 and 1)
	PageFreelist                 // the freelist itself
	PageBuckets                  // the directory of buckets (bbolt's root bucket)
	PageBranch                   // a B+tree branch node of Bucket
	PageLeaf                     // a B+tree leaf node of Bucket
	PageOverflow                 // continuation of the multi-page node that starts before it
)

var pageKindNames = [...]string{"free", "pending", "meta", "freelist", "buckets", "branch", "leaf", "overflow"}

func (k PageKind) String() string {
	if int(k) < len(pageKindNames) {
		return pageKindNames[k]
	}
	return fmt.Sprintf("PageKind(%d)", k)
}

// PageInfo describes one page of the file, for drawing.
type PageInfo struct {
	ID        uint64
	Kind      PageKind
	Bucket    string // for branch, leaf and overflow pages
	FillBytes int    // bytes of the node written on this page (at most the page size)
	Items     int    // keys on the node (first page of a node only)
}

// pageCount is how many contiguous pages a node of size bytes occupies.
func pageCount(bytes int) int {
	return (bytes + pageSize - 1) / pageSize
}
