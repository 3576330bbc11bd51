package wal

import (
	"testing"

	"github.com/etcdlab/etcdlab/core/raft"
)

// BenchmarkSaveSync is the latency of one acknowledged write: one entry of
// 256 bytes and its hard state, then fdatasync.
func BenchmarkSaveSync(b *testing.B) { benchSave(b, 1, 256) }

// BenchmarkSaveBatch is a busy leader's Ready: 100 entries of 256 bytes,
// one write, one fdatasync.
func BenchmarkSaveBatch(b *testing.B) { benchSave(b, 100, 256) }

func benchSave(b *testing.B, batch, sizeBytes int) {
	w := mustCreate(b, b.TempDir(), nil)
	defer w.Close()
	data := make([]byte, sizeBytes)
	ents := make([]raft.Entry, batch)
	next := uint64(1)
	b.SetBytes(int64(batch * sizeBytes))
	b.ResetTimer()
	for b.Loop() {
		for j := range ents {
			ents[j] = raft.Entry{Index: next, Term: 1, Data: data}
			next++
		}
		if err := w.Save(raft.HardState{Term: 1, Commit: next - 1}, ents, true); err != nil {
			b.Fatal(err)
		}
	}
}
