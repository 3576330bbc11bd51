package bolt

// The header check: before bbolt maps a file, read its two meta pages
// ourselves. bbolt trusts the meta page's high-water mark: on a truncated
// file it opens without complaint and then, on the first read of a page past
// the end, panics deep inside a transaction (zeros where a page should be)
// or takes a SIGBUS, which no recover() catches. So a file whose valid meta
// page points past its end is refused here, before bbolt sees it.
//
//	page 0                     page 1
//	[hdr 16][meta 64]....      [hdr 16][meta 64]....     [freelist] [root] ...
//	         |
//	         magic | version | page size | flags | root | sequence |
//	         freelist | high-water mark | txid | FNV-64a of the above
//
// bbolt keeps two meta pages and writes them alternately (txid % 2), so a
// torn meta write leaves the other intact: the newest valid one wins
// (bbolt: DB.meta). Layout as in bbolt's internal/common/meta.go.

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"io"
	"os"

	"github.com/etcdlab/etcdlab/core"
)

const (
	metaMagic       = 0xED0CDAED // bbolt: common.Magic
	metaVersion     = 2          // bbolt: common.Version
	pageHeaderBytes = 16         // page id, flags, count, overflow
	metaBytes       = 64

	// Offsets of the fields the check reads, inside the meta.
	metaVersionAt       = 4
	metaPageSizeAt      = 8
	metaHighWaterMarkAt = 40
	metaTxIDAt          = 48
	metaChecksumAt      = 56 // FNV-64a of the bytes before it

	minPageBytes = 1024 // bbolt refuses smaller pages
	maxPageBytes = 1 << 16
)

// meta is what the header check needs of a meta page.
type meta struct {
	pageBytes     int64
	highWaterMark int64 // pages allocated: the file must hold this many
	txid          uint64
}

// checkHeader refuses a file whose meta pages are both invalid, or whose
// newest valid meta page describes more pages than the file holds; the
// error says which, and the caller says what to do. A missing or empty file
// passes: bbolt creates a new one.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("bolt: opening %s: %w", path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("bolt: stat %s: %w", path, err)
	}
	if info.Size() == 0 {
		return nil
	}
	m, err := newestMeta(f)
	if err != nil {
		return err
	}
	if need := m.highWaterMark * m.pageBytes; info.Size() < need {
		return fmt.Errorf("the file is truncated: %d bytes, its meta page (txid %d) needs %d", info.Size(), m.txid, need)
	}
	return nil
}

// newestMeta reads both meta pages and returns the valid one with the
// higher txid. Page 1 lies one page after page 0, whose size page 0's meta
// gives; if page 0 is unreadable, the default page size is tried.
func newestMeta(f io.ReaderAt) (meta, error) {
	m0, err0 := readMeta(f, 0)
	at := int64(core.BackendPageBytes)
	if err0 == nil {
		at = m0.pageBytes
	}
	m1, err1 := readMeta(f, at)
	switch {
	case err0 != nil && err1 != nil:
		return meta{}, fmt.Errorf("no valid meta page (page 0: %v; page 1: %v)", err0, err1)
	case err0 != nil:
		return m1, nil
	case err1 != nil || m0.txid >= m1.txid:
		return m0, nil
	default:
		return m1, nil
	}
}

// readMeta reads and validates the meta page at offset off.
func readMeta(f io.ReaderAt, off int64) (meta, error) {
	buf := make([]byte, metaBytes)
	if _, err := f.ReadAt(buf, off+pageHeaderBytes); err != nil {
		return meta{}, fmt.Errorf("reading: %v", err)
	}
	le := binary.LittleEndian // bbolt writes its structs in the machine's order; linux targets are little-endian
	if le.Uint32(buf) != metaMagic {
		return meta{}, fmt.Errorf("not a bbolt meta page (magic %#x)", le.Uint32(buf))
	}
	if v := le.Uint32(buf[metaVersionAt:]); v != metaVersion {
		return meta{}, fmt.Errorf("bbolt file format version %d, want %d", v, metaVersion)
	}
	h := fnv.New64a()
	h.Write(buf[:metaChecksumAt])
	if h.Sum64() != le.Uint64(buf[metaChecksumAt:]) {
		return meta{}, fmt.Errorf("meta checksum mismatch")
	}
	m := meta{
		pageBytes:     int64(le.Uint32(buf[metaPageSizeAt:])),
		highWaterMark: int64(le.Uint64(buf[metaHighWaterMarkAt:])),
		txid:          le.Uint64(buf[metaTxIDAt:]),
	}
	if m.pageBytes < minPageBytes || m.pageBytes > maxPageBytes {
		return meta{}, fmt.Errorf("implausible page size %d", m.pageBytes)
	}
	return m, nil
}
