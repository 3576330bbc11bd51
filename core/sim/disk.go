package sim

// A node's disk: what a crash keeps. Each Ready asks the node to persist its
// HardState (term, vote, commit), a snapshot received from the leader and new
// log entries, before it sends any message (raft.Ready's ordering contract).
// The simulator handles a whole Ready inside one event, so a crash — which
// happens between events — finds every Ready either fully persisted or not
// yet produced; what it loses is the volatile state: the Raft node in memory,
// the application's state, pending client requests and read requests.
//
//	disk of n2:   snapshot(index 100, term 3)   entries 96..131   hard state
//	                      \__ covers 1..100       \__ catch-up entries kept
//	                                                  behind the snapshot

import "github.com/etcdlab/etcdlab/core/raft"

// disk is the persisted state of one node.
type disk struct {
	hardState raft.HardState
	snapshot  *raft.Snapshot
	// entries are contiguous and ascending by index.
	entries []raft.Entry
}

// persist writes the durable parts of rd, in the order the contract gives:
// hard state, snapshot, entries.
func (d *disk) persist(rd *raft.Ready) {
	if !rd.HardState.IsEmpty() {
		d.hardState = rd.HardState
	}
	if rd.Snapshot != nil && !rd.Snapshot.IsEmpty() {
		d.installSnapshot(rd.Snapshot)
	}
	if len(rd.Entries) > 0 {
		d.append(rd.Entries)
	}
}

// installSnapshot keeps s and discards the entries it covers. Entries after
// it survive only if the log matched the snapshot at its index (same entry
// there); otherwise the log was replaced wholesale, as etcd's MemoryStorage
// ApplySnapshot does.
func (d *disk) installSnapshot(s *raft.Snapshot) {
	cp := *s
	d.snapshot = &cp
	matched := false
	for i, e := range d.entries {
		if e.Index == s.Meta.Index {
			matched = e.Term == s.Meta.Term
			if matched {
				d.entries = append([]raft.Entry(nil), d.entries[i+1:]...)
			}
			break
		}
	}
	if !matched {
		d.entries = nil
	}
}

// append writes ents, replacing any persisted entries at the same or higher
// index (Figure 2, AppendEntries rule 3: a conflicting suffix is deleted).
func (d *disk) append(ents []raft.Entry) {
	first := ents[0].Index
	keep := len(d.entries)
	for keep > 0 && d.entries[keep-1].Index >= first {
		keep--
	}
	prev := d.snapshotIndex()
	if keep > 0 {
		prev = d.entries[keep-1].Index
	}
	if first > prev+1 {
		panic("sim.disk.append: entries leave a gap in the log")
	}
	d.entries = append(d.entries[:keep], ents...)
}

// compact discards the entries up to and including index.
func (d *disk) compact(index uint64) {
	i := 0
	for i < len(d.entries) && d.entries[i].Index <= index {
		i++
	}
	d.entries = append([]raft.Entry(nil), d.entries[i:]...)
}

// snapshotIndex is the index the persisted snapshot covers, 0 if none.
func (d *disk) snapshotIndex() uint64 {
	if d.snapshot == nil {
		return 0
	}
	return d.snapshot.Meta.Index
}

// entriesAfterSnapshot is what a restarting node is handed: the persisted
// entries after the snapshot, in order (raft.Config.Entries).
func (d *disk) entriesAfterSnapshot() []raft.Entry {
	si := d.snapshotIndex()
	var out []raft.Entry
	for _, e := range d.entries {
		if e.Index > si {
			out = append(out, e)
		}
	}
	return out
}
