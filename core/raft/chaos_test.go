package raft

import (
	"fmt"
	"testing"

	"github.com/etcdlab/etcdlab/core/rng"
)

// Randomized runs: partitions, message loss, crashes and restarts,
// snapshots, transfers and proposals, with the safety properties of Raft
// Figure 3 checked after every tick. Each run prints the seed that
// replays it.
func TestChaos(t *testing.T) {
	seeds := 40
	if testing.Short() {
		seeds = 8
	}
	for seed := uint64(1); seed <= uint64(seeds); seed++ {
		runChaos(t, seed)
		if t.Failed() {
			return
		}
	}
}

type chaosChecker struct {
	t         *testing.T
	seed      uint64
	leaders   map[uint64]NodeID // term -> leader (Election Safety)
	committed map[uint64]string // index -> term/data applied anywhere (State Machine Safety)
	eventsAt  int
}

func runChaos(t *testing.T, seed uint64) {
	r := rng.New(seed)
	nw := newNetwork(t, seed, 5, func(c *Config) { c.SnapshotChunkBytes = 32 })
	ck := &chaosChecker{t: t, seed: seed, leaders: map[uint64]NodeID{}, committed: map[uint64]string{}}
	nw.drop = func(m Message) bool { return r.Chance(0.05) }
	for tick := 0; tick < 400 && !t.Failed(); tick++ {
		chaosStep(nw, r, tick)
		nw.tick()
		ck.check(nw)
	}
	// Heal everything and check the cluster converges.
	nw.drop = nil
	for _, id := range nw.ids {
		delete(nw.isolated, id)
		if nw.down[id] {
			nw.restart(id)
		}
	}
	nw.ticks(60)
	ck.check(nw)
	l := nw.leader()
	if l == None {
		t.Fatalf("seed %d: no leader after healing", seed)
	}
	if err := nw.nodes[l].Propose([]byte("final")); err != nil {
		t.Fatalf("seed %d: final proposal: %v", seed, err)
	}
	nw.ticks(5)
	for _, id := range nw.status(l).Conf.Voters {
		if c := nw.status(id).HardState.Commit; c != nw.status(l).HardState.Commit {
			t.Fatalf("seed %d: n%d commit %d, leader n%d commit %d", seed, id, c, l, nw.status(l).HardState.Commit)
		}
	}
	ck.check(nw)
	kinds := map[EventKind]int{}
	for _, e := range nw.events {
		kinds[e.Kind]++
	}
	t.Logf("seed %d: leaders=%d installs=%d snapsends=%d compacts=%d transfers=%d reads=%d confs=%d refused=%d commit=%d", seed, len(ck.leaders), kinds[EvSnapshotInstalled], kinds[EvSnapshotSendStarted], kinds[EvLogCompacted], kinds[EvTransferStarted], kinds[EvReadIndexReady], kinds[EvConfChanged], kinds[EvConfChangeRefused], nw.status(l).HardState.Commit)
}

// chaosStep injects one tick's worth of random faults and requests.
func chaosStep(nw *network, r *rng.Source, tick int) {
	id := nw.ids[r.Intn(len(nw.ids))]
	switch p := r.Float64(); {
	case p < 0.02:
		nw.isolated[id] = !nw.isolated[id]
	case p < 0.03:
		clear(nw.isolated) // partitions heal
	case p < 0.035 && !nw.down[id]:
		nw.down[id] = true
	case p < 0.06 && nw.down[id]:
		nw.restart(id)
	case p < 0.08 && !nw.down[id]:
		if st := nw.status(id); st.Applied > st.Snapshot.Index+3 {
			nw.snapshotAndCompact(id, []byte(fmt.Sprintf("state of n%d at %d, padded to span chunks", id, st.Applied)))
		}
	case p < 0.09 && !nw.down[id]:
		nw.nodes[id].TransferLeader(nw.ids[r.Intn(len(nw.ids))])
	case p < 0.12 && !nw.down[id]:
		nw.nodes[id].ReadIndex([]byte(fmt.Sprintf("read-%d", tick)))
	case p < 0.13:
		chaosReconfigure(nw)
	case p < 0.5 && !nw.down[id]:
		_ = nw.nodes[id].Propose([]byte(fmt.Sprintf("t%d", tick)))
	}
	nw.settle()
}

// chaosReconfigure walks node 6 through learner, voter and removed; a
// removed node 6 comes back with a fresh state (ids are never reused with
// old state, as etcd requires).
func chaosReconfigure(nw *network) {
	l := nw.leader()
	if l == None {
		return
	}
	conf := membershipOf(nw.status(l).Conf)
	var cc ConfChange
	switch {
	case conf.isVoter(6):
		cc = ConfChange{Type: RemoveNode, Node: 6}
	case conf.isLearner(6):
		cc = ConfChange{Type: PromoteLearner, Node: 6}
	default:
		if n := nw.nodes[6]; n == nil || len(n.Status().Conf.Voters) > 0 {
			nw.add(6, nil)
		}
		cc = ConfChange{Type: AddLearner, Node: 6}
	}
	_ = nw.nodes[l].ProposeConfChange(cc)
}

// check verifies Election Safety and State Machine Safety so far.
func (ck *chaosChecker) check(nw *network) {
	for _, e := range nw.events[ck.eventsAt:] {
		if e.Kind == EvRoleChanged && e.Role == Leader {
			if prev, ok := ck.leaders[e.Term]; ok && prev != e.Node {
				ck.t.Fatalf("seed %d: two leaders in term %d: n%d and n%d", ck.seed, e.Term, prev, e.Node)
			}
			ck.leaders[e.Term] = e.Node
		}
	}
	ck.eventsAt = len(nw.events)
	for _, id := range nw.ids {
		if nw.down[id] {
			continue
		}
		n := nw.nodes[id]
		st := n.Status()
		for _, e := range n.Log() {
			if e.Index > st.Applied {
				break
			}
			got := fmt.Sprintf("%d/%x", e.Term, e.Data)
			if want, ok := ck.committed[e.Index]; ok && want != got {
				ck.t.Fatalf("seed %d: n%d applied %s at %d, another node applied %s", ck.seed, id, got, e.Index, want)
			}
			ck.committed[e.Index] = got
		}
	}
}
