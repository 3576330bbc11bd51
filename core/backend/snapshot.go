package backend

// Snapshots: the whole file as one byte stream, and back. bbolt's Tx.WriteTo
// copies the file page by page; this model has no page bytes, so it writes
// what the pages hold instead — the page map, the freelist and every node —
// and Restore rebuilds the same file from it: same Size, same SizeInUse,
// same page map, same Hash (bbolt turns pending pages free on reopen, and so
// does Restore).
//
// Format: a CBOR-encoded fileImage followed by the CRC-32C of those bytes,
// big-endian. Restore checks the magic, the version, the page size and the
// checksum before it trusts anything, as bbolt validates its meta pages.

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"

	"github.com/fxamacker/cbor/v2"
)

const (
	snapshotMagic   = "etcdlab-backend"
	snapshotVersion = 1
)

type fileImage struct {
	Magic      string        `cbor:"1,keyasint"`
	Version    int           `cbor:"2,keyasint"`
	PageSize   int           `cbor:"3,keyasint"`
	TxID       uint64        `cbor:"4,keyasint"`
	Pages      []PageInfo    `cbor:"5,keyasint"`
	FreelistAt uint64        `cbor:"6,keyasint"`
	FreelistN  int           `cbor:"7,keyasint"`
	DirAt      uint64        `cbor:"8,keyasint"`
	DirN       int           `cbor:"9,keyasint"`
	Buckets    []bucketImage `cbor:"10,keyasint"`
	Nodes      []nodeImage   `cbor:"11,keyasint"`
}

type bucketImage struct {
	Name string `cbor:"1,keyasint"`
	Root uint64 `cbor:"2,keyasint"`
}

type nodeImage struct {
	ID       uint64   `cbor:"1,keyasint"`
	Pages    int      `cbor:"2,keyasint"`
	Leaf     bool     `cbor:"3,keyasint"`
	Keys     [][]byte `cbor:"4,keyasint"`
	Values   [][]byte `cbor:"5,keyasint,omitempty"`
	Children []uint64 `cbor:"6,keyasint,omitempty"`
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// WriteTo writes the last commit as a snapshot stream.
func (m *Memory) WriteTo(w io.Writer) (int64, error) {
	img := fileImage{
		Magic: snapshotMagic, Version: snapshotVersion, PageSize: pageSize,
		TxID: m.txid, Pages: m.pages,
		FreelistAt: uint64(m.freelistAt), FreelistN: m.freelistN,
		DirAt: uint64(m.dirAt), DirN: m.dirN,
	}
	for _, name := range bucketNames(m.roots) {
		root := m.roots[name]
		img.Buckets = append(img.Buckets, bucketImage{Name: name, Root: uint64(root.id)})
		img.Nodes = appendNodeImages(img.Nodes, root)
	}
	body, err := cbor.Marshal(img)
	if err != nil {
		return 0, fmt.Errorf("backend: encoding snapshot: %w", err)
	}
	body = binary.BigEndian.AppendUint32(body, crc32.Checksum(body, castagnoli))
	n, err := w.Write(body)
	return int64(n), err
}

// appendNodeImages appends n and its subtree, parents first.
func appendNodeImages(out []nodeImage, n *node) []nodeImage {
	img := nodeImage{ID: uint64(n.id), Pages: n.pages, Leaf: n.leaf, Keys: n.keys, Values: n.values}
	for _, c := range n.children {
		img.Children = append(img.Children, uint64(c.id))
	}
	out = append(out, img)
	for _, c := range n.children {
		out = appendNodeImages(out, c)
	}
	return out
}

// Restore builds a Memory from a stream written by WriteTo.
func Restore(r io.Reader) (*Memory, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("backend: reading snapshot: %w", err)
	}
	if len(data) < 4 {
		return nil, ErrBadSnapshot
	}
	body, sum := data[:len(data)-4], binary.BigEndian.Uint32(data[len(data)-4:])
	if crc32.Checksum(body, castagnoli) != sum {
		return nil, fmt.Errorf("%w: checksum mismatch", ErrBadSnapshot)
	}
	var img fileImage
	if err := cbor.Unmarshal(body, &img); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadSnapshot, err)
	}
	if img.Magic != snapshotMagic || img.Version != snapshotVersion || img.PageSize != pageSize {
		return nil, fmt.Errorf("%w: magic %q version %d page size %d", ErrBadSnapshot, img.Magic, img.Version, img.PageSize)
	}
	return img.memory()
}

// memory rebuilds the file described by img.
func (img *fileImage) memory() (*Memory, error) {
	m := NewMemory()
	m.txid = img.TxID
	m.pages = img.Pages
	m.freelistAt, m.freelistN = pgid(img.FreelistAt), img.FreelistN
	m.dirAt, m.dirN = pgid(img.DirAt), img.DirN
	for i := range m.pages {
		if m.pages[i].ID != uint64(i) {
			return nil, fmt.Errorf("%w: page %d is listed as %d", ErrBadSnapshot, i, m.pages[i].ID)
		}
		if k := m.pages[i].Kind; k == PageFree || k == PagePending {
			m.pages[i] = PageInfo{ID: uint64(i), Kind: PageFree}
			m.free.free = append(m.free.free, pgid(i))
		}
	}
	byID := make(map[uint64]*nodeImage, len(img.Nodes))
	for i := range img.Nodes {
		byID[img.Nodes[i].ID] = &img.Nodes[i]
	}
	for _, b := range img.Buckets {
		root, err := buildNode(byID, b.Root, 0)
		if err != nil {
			return nil, err
		}
		m.roots[b.Name] = root
	}
	return m, nil
}

// buildNode rebuilds the node written at id and its subtree.
func buildNode(byID map[uint64]*nodeImage, id uint64, depth int) (*node, error) {
	img, ok := byID[id]
	if !ok || depth > 64 {
		return nil, fmt.Errorf("%w: node at page %d is missing or too deep", ErrBadSnapshot, id)
	}
	n := &node{leaf: img.Leaf, id: pgid(img.ID), pages: img.Pages, keys: img.Keys, values: img.Values}
	if n.leaf && len(n.values) != len(n.keys) {
		return nil, fmt.Errorf("%w: leaf at page %d has %d keys and %d values", ErrBadSnapshot, id, len(n.keys), len(n.values))
	}
	if n.leaf && n.values == nil {
		n.values = [][]byte{}
	}
	for _, cid := range img.Children {
		c, err := buildNode(byID, cid, depth+1)
		if err != nil {
			return nil, err
		}
		n.children = append(n.children, c)
	}
	if !n.leaf && len(n.children) != len(n.keys) {
		return nil, fmt.Errorf("%w: branch at page %d has %d keys and %d children", ErrBadSnapshot, id, len(n.keys), len(n.children))
	}
	return n, nil
}
