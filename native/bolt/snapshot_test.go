package bolt

// Snapshots of a real file: WriteTo is consistent while a writer works,
// Restore accepts etcd's SHA-256 trailer, and refuses a damaged or foreign
// stream without touching the file already at the path.

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"

	"github.com/etcdlab/etcdlab/core/backend"
)

func TestWriteToIgnoresTheOpenWriter(t *testing.T) {
	b := openTemp(t)
	fill(t, b, 0, 500, 20, 500)
	hash := b.Hash(nil)
	w := b.BeginWrite()
	must(t, w.Put("kv", []byte("uncommitted"), []byte("x")))
	var buf bytes.Buffer
	_, err := b.WriteTo(&buf)
	must(t, err)
	must(t, w.Commit())

	path := filepath.Join(t.TempDir(), "restored")
	must(t, Restore(path, bytes.NewReader(buf.Bytes())))
	restored := openPath(t, path)
	equal(t, hash, restored.Hash(nil), "hash of a snapshot taken during a write")
}

func TestRestoreChecksEtcdHashTrailer(t *testing.T) {
	b := openTemp(t)
	fill(t, b, 0, 2000, 40, 2000)
	var buf bytes.Buffer
	_, err := b.WriteTo(&buf)
	must(t, err)
	sum := sha256.Sum256(buf.Bytes())
	withHash := append(clone(buf.Bytes()), sum[:]...)

	path := filepath.Join(t.TempDir(), "db")
	must(t, Restore(path, bytes.NewReader(withHash)))
	equal(t, int64(buf.Len()), fileBytes(t, path), "restored file size (trailer cut)")
	restored := openPath(t, path)
	equal(t, b.Hash(nil), restored.Hash(nil), "hash of a restored file")

	damaged := clone(withHash)
	damaged[len(damaged)/2] ^= 1
	err = Restore(filepath.Join(t.TempDir(), "db"), bytes.NewReader(damaged))
	isErr(t, backend.ErrBadSnapshot, err)
	t.Logf("damaged stream: %v", err)
}

func TestRestoreRefusesBadStreams(t *testing.T) {
	b := openTemp(t)
	fill(t, b, 0, 2000, 40, 200)
	var buf bytes.Buffer
	_, err := b.WriteTo(&buf)
	must(t, err)
	good := buf.Bytes()

	// A leaf page's element header pointing far outside its page: bbolt's
	// unsafe reads would leave the memory map.
	wildLeaf := clone(good)
	leaf := firstLeafPage(t, good)
	wildLeaf[leaf+pageHeaderBytes+4] = 0xff // the first element's key offset
	wildLeaf[leaf+pageHeaderBytes+5] = 0xff
	wildLeaf[leaf+pageHeaderBytes+6] = 0xff
	wildLeaf[leaf+pageHeaderBytes+7] = 0x7f

	memory := backend.NewMemory()
	var memBuf bytes.Buffer
	_, err = memory.WriteTo(&memBuf)
	must(t, err)

	dir := t.TempDir()
	path := filepath.Join(dir, "db")
	must(t, os.WriteFile(path, []byte("the old file"), 0o600))
	for name, stream := range map[string][]byte{
		"empty":                   nil,
		"truncated":               good[:len(good)/2],
		"a leaf pointing outside": wildLeaf,
		"a memory snapshot":       memBuf.Bytes(),
	} {
		err := Restore(path, bytes.NewReader(stream))
		isErr(t, backend.ErrBadSnapshot, err)
		t.Logf("%s: %v", name, err)
		old, err := os.ReadFile(path)
		must(t, err)
		equal(t, "the old file", string(old), name+": the file at the path")
	}
	entries, err := os.ReadDir(dir)
	must(t, err)
	equal(t, 1, len(entries), "files in the directory after refused restores")
}

// firstLeafPage returns the byte offset of the first leaf page of a bbolt
// file image (page flag 0x02; bbolt: common.LeafPageFlag).
func firstLeafPage(t *testing.T, data []byte) int {
	t.Helper()
	const page, leafFlag = 4096, 0x02
	for off := 2 * page; off+page <= len(data); off += page {
		if data[off+8] == leafFlag {
			return off
		}
	}
	t.Fatal("no leaf page in the file")
	return 0
}
