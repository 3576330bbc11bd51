package raft

import "testing"

// BenchmarkLeaderCommit: a 3-node in-memory cluster; each iteration
// proposes one 64-byte entry at the leader and runs the Ready loops until
// every node has applied it.
func BenchmarkLeaderCommit(b *testing.B) {
	nw := newNetwork(b, 1, 3, nil)
	nw.campaign(1)
	data := make([]byte, 64)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := nw.nodes[1].Propose(data); err != nil {
			b.Fatal(err)
		}
		nw.settle()
		if i%1000 == 999 { // keep the in-memory log and trace bounded
			b.StopTimer()
			for _, id := range nw.ids {
				nw.snapshotAndCompact(id, nil)
				nw.store[id].data = nil
			}
			nw.events, nw.sent = nil, nil
			b.StartTimer()
		}
	}
	b.StopTimer()
	eq(b, nw.status(3).Applied, nw.status(1).HardState.Commit, "n3 applied")
}
