package backend

import (
	"bytes"
	"fmt"
	"sort"
	"testing"

	"github.com/etcdlab/etcdlab/core/rng"
)

func key(i int) []byte { return []byte(fmt.Sprintf("key-%06d", i)) }

// fill writes n pairs of valueBytes each, committing every batch pairs.
func fill(t *testing.T, b Backend, from, n, valueBytes, batch int) {
	t.Helper()
	w := b.BeginWrite()
	if err := w.CreateBucket("kv"); err != nil {
		t.Fatal(err)
	}
	for i := from; i < from+n; i++ {
		if err := w.Put("kv", key(i), bytes.Repeat([]byte{'v'}, valueBytes)); err != nil {
			t.Fatal(err)
		}
		if (i+1)%batch == 0 {
			if err := w.Commit(); err != nil {
				t.Fatal(err)
			}
			w = b.BeginWrite()
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}

func TestNewFileHasFourPages(t *testing.T) {
	// bbolt's init writes two meta pages, a freelist and the root bucket.
	m := NewMemory()
	if m.Size() != 4*pageSize || m.SizeInUse() != 4*pageSize {
		t.Fatalf("new file: size %d in use %d, want %d", m.Size(), m.SizeInUse(), 4*pageSize)
	}
	kinds := []PageKind{PageMeta, PageMeta, PageFreelist, PageBuckets}
	for i, p := range m.Pages() {
		if p.Kind != kinds[i] {
			t.Errorf("page %d is %v, want %v", i, p.Kind, kinds[i])
		}
	}
}

func TestSizeGrowsWithWrites(t *testing.T) {
	m := NewMemory()
	last := m.Size()
	for round := 0; round < 5; round++ {
		fill(t, m, round*1000, 1000, 100, 100)
		if m.Size() <= last {
			t.Fatalf("round %d: size %d did not grow from %d", round, m.Size(), last)
		}
		last = m.Size()
		checkFile(t, m)
	}
	// 5000 pairs of ~126 bytes of payload need at least 150 pages.
	if m.Size() < 150*pageSize {
		t.Fatalf("size %d is too small for the data", m.Size())
	}
}

func TestDeleteKeepsSizeButFreesPages(t *testing.T) {
	m := NewMemory()
	fill(t, m, 0, 5000, 100, 500)
	size, inUse := m.Size(), m.SizeInUse()
	w := m.BeginWrite()
	for i := 0; i < 4500; i++ {
		if err := w.Delete("kv", key(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	// An empty write releases the pages the delete left pending.
	m.BeginWrite().Rollback()
	checkFile(t, m)
	t.Logf("delete: size %d -> %d, in use %d -> %d", size, m.Size(), inUse, m.SizeInUse())
	if m.Size() != size {
		t.Fatalf("size changed on delete: %d -> %d (a bbolt file never shrinks)", size, m.Size())
	}
	if m.SizeInUse() >= inUse/2 {
		t.Fatalf("size in use %d did not drop well below %d after deleting 90%%", m.SizeInUse(), inUse)
	}
}

func TestDefragShrinksToInUse(t *testing.T) {
	m := NewMemory()
	fill(t, m, 0, 5000, 100, 500)
	w := m.BeginWrite()
	for i := 0; i < 5000; i += 10 {
		for j := i; j < i+9; j++ {
			w.Delete("kv", key(j))
		}
	}
	w.Commit()
	hash := m.Hash(nil)
	before := m.Size()
	if err := m.Defrag(); err != nil {
		t.Fatal(err)
	}
	checkFile(t, m)
	t.Logf("defrag: size %d -> %d (in use %d)", before, m.Size(), m.SizeInUse())
	if m.Size() >= before/4 {
		t.Fatalf("defrag: size %d, was %d", m.Size(), before)
	}
	if m.Size()-m.SizeInUse() > 4*pageSize {
		t.Fatalf("defrag: size %d vs in use %d: too many free pages left", m.Size(), m.SizeInUse())
	}
	if m.Hash(nil) != hash {
		t.Fatalf("defrag changed the contents")
	}
	r := m.BeginRead()
	defer r.Rollback()
	if k, _ := r.Range("kv", []byte("key-"), []byte{}, 0); len(k) != 500 {
		t.Fatalf("defrag kept %d keys, want 500", len(k))
	}
}

func TestSnapshotRestore(t *testing.T) {
	m := NewMemory()
	fill(t, m, 0, 3000, 50, 300)
	w := m.BeginWrite()
	w.CreateBucket("meta")
	w.Put("meta", []byte("consistent_index"), []byte{0, 0, 0, 7})
	w.Put("kv", []byte("big"), bytes.Repeat([]byte{'b'}, 3*pageSize)) // an overflow node
	for i := 0; i < 3000; i += 3 {
		w.Delete("kv", key(i))
	}
	w.Commit()
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	r, err := Restore(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	checkFile(t, r)
	if r.Hash(nil) != m.Hash(nil) || r.Size() != m.Size() {
		t.Fatalf("restore: hash %x size %d, want %x size %d", r.Hash(nil), r.Size(), m.Hash(nil), m.Size())
	}
	if r.SizeInUse() < m.SizeInUse()-int64(m.Stats().PendingPageN)*pageSize {
		t.Fatalf("restore: size in use %d", r.SizeInUse())
	}
	// The restored file keeps working.
	fill(t, r, 5000, 100, 10, 100)
	checkFile(t, r)

	// A damaged stream is refused.
	bad := append([]byte(nil), buf.Bytes()...)
	bad[len(bad)/2] ^= 0xff
	if _, err := Restore(bytes.NewReader(bad)); err == nil {
		t.Fatal("restore accepted a corrupt snapshot")
	}
}

func TestReadIsolation(t *testing.T) {
	m := NewMemory()
	fill(t, m, 0, 1000, 20, 1000)
	old := m.BeginRead()
	w := m.BeginWrite()
	w.Put("kv", key(1), []byte("new"))
	w.Delete("kv", key(2))
	if got := w.Get("kv", key(1)); string(got) != "new" {
		t.Fatalf("writer does not read its own write: %q", got)
	}
	if got := old.Get("kv", key(1)); string(got) == "new" {
		t.Fatal("reader sees an uncommitted write")
	}
	w.Commit()
	pendingBefore := m.Stats().PendingPageN
	// Another commit while the old reader is open: its pages stay pending.
	fill(t, m, 2000, 10, 20, 10)
	if m.Stats().PendingPageN < pendingBefore {
		t.Fatalf("pages released while a reader could still read them")
	}
	if got := old.Get("kv", key(1)); bytes.Equal(got, []byte("new")) || old.Get("kv", key(2)) == nil {
		t.Fatal("old reader sees a later commit")
	}
	now := m.BeginRead()
	if string(now.Get("kv", key(1))) != "new" || now.Get("kv", key(2)) != nil {
		t.Fatal("new reader does not see the commit")
	}
	now.Rollback()
	old.Rollback()
	m.BeginWrite().Rollback()
	if m.Stats().PendingPageN != 0 {
		t.Fatalf("pending pages not released after the readers closed: %+v", m.Stats())
	}
	// Rollback discards.
	w = m.BeginWrite()
	w.Put("kv", key(3), []byte("discarded"))
	w.Rollback()
	r := m.BeginRead()
	defer r.Rollback()
	if string(r.Get("kv", key(3))) == "discarded" {
		t.Fatal("rolled back write is visible")
	}
}

// TestRandomAgainstMap compares the backend with a map after random puts,
// deletes, commits and rollbacks, and checks the page accounting after each
// commit.
func TestRandomAgainstMap(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		r := rng.New(seed)
		m := NewMemory()
		model := map[string]string{}
		w := m.BeginWrite()
		w.CreateBucket("b")
		w.Commit()
		for op := 0; op < 400; op++ {
			w := m.BeginWrite()
			pending := map[string]*string{}
			for i := r.Intn(40); i >= 0; i-- {
				k := fmt.Sprintf("k%04d", r.Intn(2000))
				if r.Chance(0.4) {
					w.Delete("b", []byte(k))
					pending[k] = nil
				} else {
					v := string(bytes.Repeat([]byte{byte('a' + r.Intn(26))}, r.Intn(300)))
					if r.Chance(0.01) {
						v = string(bytes.Repeat([]byte{'o'}, 2*pageSize+r.Intn(pageSize)))
					}
					w.Put("b", []byte(k), []byte(v))
					pending[k] = &v
				}
			}
			if r.Chance(0.1) {
				w.Rollback()
			} else {
				w.Commit()
				for k, v := range pending {
					if v == nil {
						delete(model, k)
					} else {
						model[k] = *v
					}
				}
			}
			if err := compareWithMap(m, model); err != nil {
				t.Fatalf("seed %d op %d: %v", seed, op, err)
			}
			checkFile(t, m)
		}
	}
}

func compareWithMap(m *Memory, model map[string]string) error {
	want := make([]string, 0, len(model))
	for k := range model {
		want = append(want, k)
	}
	sort.Strings(want)
	r := m.BeginRead()
	defer r.Rollback()
	keys, vals := r.Range("b", []byte{0}, []byte{}, 0)
	if len(keys) != len(want) {
		return fmt.Errorf("%d keys, model has %d", len(keys), len(want))
	}
	for i := range keys {
		if string(keys[i]) != want[i] || string(vals[i]) != model[want[i]] {
			return fmt.Errorf("pair %d: %q, model %q", i, keys[i], want[i])
		}
	}
	if len(want) > 3 {
		k, _ := r.Seek("b", []byte(want[2]+"\x00"))
		if string(k) != want[3] {
			return fmt.Errorf("seek after %q: %q, want %q", want[2], k, want[3])
		}
		k2, _ := r.Range("b", []byte(want[1]), []byte(want[3]), 0)
		if len(k2) != 2 {
			return fmt.Errorf("range [%q,%q): %d keys", want[1], want[3], len(k2))
		}
	}
	return nil
}

// checkFile verifies that every page of the file is accounted for exactly
// once: by a node of a committed tree, the freelist, the directory, a meta
// page, or the free and pending lists; and that no node but a root is too
// small or too big.
func checkFile(t *testing.T, m *Memory) {
	t.Helper()
	owner := make([]string, len(m.pages))
	claim := func(id pgid, n int, what string) {
		for i := 0; i < n; i++ {
			p := int(id) + i
			if p >= len(owner) {
				t.Fatalf("%s claims page %d beyond the file (%d pages)", what, p, len(owner))
			}
			if owner[p] != "" {
				t.Fatalf("page %d claimed by %s and %s", p, owner[p], what)
			}
			owner[p] = what
		}
	}
	claim(0, 2, "meta")
	claim(m.freelistAt, m.freelistN, "freelist")
	claim(m.dirAt, m.dirN, "dir")
	for _, id := range m.free.free {
		claim(id, 1, "free")
	}
	for _, ids := range m.free.pending {
		for _, id := range ids {
			claim(id, 1, "pending")
		}
	}
	var walk func(n *node, name string, root bool)
	walk = func(n *node, name string, root bool) {
		if n.id == 0 || n.pages != pageCount(n.size()) {
			t.Fatalf("bucket %s: node at %d with %d pages, size %d", name, n.id, n.pages, n.size())
		}
		claim(n.id, n.pages, "bucket "+name)
		if !root && len(n.keys) < n.minKeys() {
			t.Fatalf("bucket %s: node %d has %d keys", name, n.id, len(n.keys))
		}
		for i := 1; i < len(n.keys); i++ {
			if bytes.Compare(n.keys[i-1], n.keys[i]) >= 0 {
				t.Fatalf("bucket %s: node %d keys out of order", name, n.id)
			}
		}
		for i, c := range n.children {
			if !bytes.Equal(n.keys[i], c.keys[0]) {
				t.Fatalf("bucket %s: branch %d key %d is %q, child starts at %q", name, n.id, i, n.keys[i], c.keys[0])
			}
			walk(c, name, false)
		}
	}
	for name, root := range m.roots {
		walk(root, name, true)
	}
	for p, who := range owner {
		if who == "" {
			t.Fatalf("page %d (%v) is owned by nobody", p, m.pages[p].Kind)
		}
	}
}
