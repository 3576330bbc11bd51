package server

// Log retention (etcd: EtcdServer.triggerSnapshot, snapshot.go, and the
// follower side in applySnapshot). Every SnapshotCount applied entries the
// member records its whole state as a Raft snapshot and lets Raft discard
// the log before it, keeping SnapshotCatchUpEntries so that a follower a
// little behind can still catch up from the log:
//
//	applied 10005, snapshot 0, count 10000:  snapshot at 10005
//	compact to 10005 − 5000 = 5005           log keeps 5006..10005..
//
// The snapshot's Data is a short CBOR header — metadata repeating what a
// reader wants without decoding the backend: cluster ID, members,
// consistent index, revision, the lessor's snapshot, alarms — followed by
// the backend itself, raw (Backend.WriteTo: every bucket, the consistent
// index among them):
//
//	Data = CBOR{ format: 2, meta: {clusterID, members, consistentIndex,
//	             revision, leases, alarms} }  ‖  <Backend.WriteTo stream>
//
// The stream is written straight into the one buffer that becomes Data, and
// Raft keeps that buffer without copying it (raft.Snapshot): a real
// backend is tens of megabytes, and each copy of it is time the member does
// not serve (etcd avoids the copy altogether by keeping the backend out of
// its .snap files: thin snapshots, below, which the daemon uses). Format 1,
// a CBOR map holding the stream as a byte string, is still read.
//
// A follower that receives a snapshot from the leader restores the backend
// from the stream (Config.RestoreBackend) and reopens everything from it
// (state.go) — the key space, the lessor, the membership, the alarms —
// exactly as on a restart.
//
// # Thin snapshots (Config.ThinSnapshots, the daemon)
//
// A backend that is durable on its own (bbolt, with the consistent index in
// it) needs no copy in the log-retention snapshot: etcd's .snap files hold
// only metadata, and etcd builds a snapshot of the backend only when the
// leader must send one, from the CURRENT backend, stamped with the leader's
// applied index and term (etcd: server/etcdserver/snapshot_merge.go,
// createMergedSnapshotMessage). In thin mode the member does the same:
//
//	every SnapshotCount:  CommitBackend; Data = CBOR{format 2, thin, meta}
//	                      (no stream: a few hundred bytes); compact as above
//	follower n3 behind the log:
//	  raft (leader) ──request──> Ready takes it; Advance: CommitBackend,
//	        Data = header ‖ stream as of applied ──ProvideSnapshot──> raft
//	  raft streams it to n3, drops it once n3 has it (core/raft snapdemand.go)
//	n3:   installs it exactly as a full snapshot above
//
// The backend is at or past a thin snapshot's index, since TakeSnapshot
// commits it first; a restart from a thin snapshot reopens the backend and
// replays the log after it (member.go catchUpSnapshot refuses a backend
// behind it: nothing could restore it).

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/fxamacker/cbor/v2"
)

// SnapshotMeta describes a state snapshot.
type SnapshotMeta struct {
	ClusterID       uint64        `cbor:"1,keyasint"`
	Members         []MemberInfo  `cbor:"2,keyasint"`
	ConsistentIndex uint64        `cbor:"3,keyasint"`
	Revision        int64         `cbor:"4,keyasint"`
	Leases          []byte        `cbor:"5,keyasint"` // lease.Lessor.Snapshot
	Alarms          []AlarmMember `cbor:"6,keyasint,omitempty"`
}

// snapshotFormat is the layout of Data this member writes.
const snapshotFormat = 2

// snapshotHeader opens Data; the backend stream follows it, unless Thin.
type snapshotHeader struct {
	Format int          `cbor:"0,keyasint"`
	Meta   SnapshotMeta `cbor:"1,keyasint"`
	// Thin: no stream follows (Config.ThinSnapshots); the backend already
	// holds the state.
	Thin bool `cbor:"3,keyasint,omitempty"` // key 2 is format 1's stream
}

// snapshotDataV1 is format 1: the stream inside the CBOR map.
type snapshotDataV1 struct {
	Meta    SnapshotMeta `cbor:"1,keyasint"`
	Backend []byte       `cbor:"2,keyasint"`
}

// DecodeSnapshot reads the metadata and backend stream of a snapshot's
// Data (for tools and the visualizer). The stream shares Data's memory; it
// is nil for a thin snapshot (IsThinSnapshot), which holds no backend.
func DecodeSnapshot(data []byte) (SnapshotMeta, []byte, error) {
	var h snapshotHeader
	rest, err := cbor.UnmarshalFirst(data, &h)
	if err != nil {
		return SnapshotMeta{}, nil, fmt.Errorf("server: decode snapshot header: %w", err)
	}
	switch {
	case h.Format == snapshotFormat && h.Thin:
		if len(rest) > 0 {
			return SnapshotMeta{}, nil, fmt.Errorf("server: thin snapshot followed by %d bytes; the snapshot is corrupt", len(rest))
		}
		return h.Meta, nil, nil
	case h.Format == snapshotFormat:
		return h.Meta, rest, nil
	case h.Format == 0: // format 1 has no format field
		var v1 snapshotDataV1
		if err := cbor.Unmarshal(data, &v1); err != nil {
			return SnapshotMeta{}, nil, fmt.Errorf("server: decode snapshot: %w", err)
		}
		return v1.Meta, v1.Backend, nil
	}
	return SnapshotMeta{}, nil, fmt.Errorf("server: snapshot format %d, this build reads formats 1 and %d", h.Format, snapshotFormat)
}

// encodeSnapshot returns Data for the state as of the last backend commit:
// the header, then the stream written into the same buffer.
func (m *Member) encodeSnapshot() ([]byte, error) {
	header, err := encoding.Marshal(snapshotHeader{Format: snapshotFormat, Meta: m.snapshotMeta()})
	if err != nil {
		panic("Member.encodeSnapshot: " + err.Error())
	}
	var buf bytes.Buffer
	buf.Grow(len(header) + int(max(m.be.Size(), 0)))
	buf.Write(header)
	if _, err := m.be.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("server: snapshot of the backend: %w", err)
	}
	return buf.Bytes(), nil
}

// IsThinSnapshot reports whether data is a thin snapshot: metadata, no
// backend. Data that does not decode is not thin.
func IsThinSnapshot(data []byte) bool {
	var h snapshotHeader
	_, err := cbor.UnmarshalFirst(data, &h)
	return err == nil && h.Format == snapshotFormat && h.Thin
}

// encodeThinSnapshot returns Data of a thin snapshot: the header alone.
func encodeThinSnapshot(meta SnapshotMeta) []byte {
	header, err := encoding.Marshal(snapshotHeader{Format: snapshotFormat, Meta: meta, Thin: true})
	if err != nil {
		panic("server.encodeThinSnapshot: " + err.Error())
	}
	return header
}

// thinned returns s as the member keeps it in thin mode: a full snapshot
// (received from a leader, or written without thin mode) is cut to its
// header, so that Raft does not hold the backend in memory.
func thinned(s *raft.Snapshot) (*raft.Snapshot, error) {
	if s.IsEmpty() || IsThinSnapshot(s.Data) {
		return s, nil
	}
	meta, _, err := DecodeSnapshot(s.Data)
	if err != nil {
		return nil, fmt.Errorf("server: snapshot %d: %w", s.Meta.Index, err)
	}
	return &raft.Snapshot{Meta: s.Meta, Data: encodeThinSnapshot(meta)}, nil
}

// maybeSnapshot takes a snapshot when SnapshotCount entries were applied
// since the last one (etcd: appliedi − snapi > SnapshotCount).
func (m *Member) maybeSnapshot() {
	if m.applied-m.snapIndex <= m.cfg.SnapshotCount {
		return
	}
	if err := m.TakeSnapshot(); err != nil {
		panic("Member.maybeSnapshot: " + err.Error())
	}
}

// TakeSnapshot records the state as of the applied index as the latest
// snapshot now and compacts the log behind it; the next Ready carries the
// snapshot to persist. It fails if nothing was applied since the last one.
func (m *Member) TakeSnapshot() error {
	if m.applied <= m.snapIndex {
		return fmt.Errorf("server: nothing applied since the snapshot at %d", m.snapIndex)
	}
	m.CommitBackend() // the stream is of the last commit; a thin one needs the backend there
	var data []byte
	if m.cfg.ThinSnapshots {
		data = encodeThinSnapshot(m.snapshotMeta())
	} else {
		var err error
		if data, err = m.encodeSnapshot(); err != nil {
			return err
		}
	}
	snap, err := m.node.CreateSnapshot(data)
	if err != nil {
		return fmt.Errorf("server: %w", err)
	}
	m.snapIndex = snap.Meta.Index
	m.createdSnap = &snap
	m.emit(Event{Kind: EvSnapshotTaken, Index: snap.Meta.Index, Revision: m.store.Rev()})
	compact := uint64(1)
	if m.snapIndex > m.cfg.SnapshotCatchUpEntries {
		compact = m.snapIndex - m.cfg.SnapshotCatchUpEntries
	}
	if err := m.node.Compact(compact); err == nil {
		m.compactIndex = compact
	} else if !errors.Is(err, raft.ErrCompacted) {
		return fmt.Errorf("server: %w", err)
	}
	return nil
}

// provideSnapshot answers Raft's request for a full snapshot (thin mode,
// on the leader): the state as of the applied index, encoded as
// encodeSnapshot does, handed to Raft to stream to the followers that wait
// (etcd: createMergedSnapshotMessage, from the current backend at the
// applied index).
func (m *Member) provideSnapshot() {
	if m.node.Status().Applied != m.applied {
		// Raft has not caught up with the backend yet (just after a
		// restart); it asks again at the next heartbeat answer.
		return
	}
	m.CommitBackend() // the stream is of the last commit: the applied index
	data, err := m.encodeSnapshot()
	if err != nil {
		panic("Member.provideSnapshot: " + err.Error())
	}
	if err := m.node.ProvideSnapshot(m.applied, data); err != nil {
		panic("Member.provideSnapshot: " + err.Error())
	}
}

func (m *Member) snapshotMeta() SnapshotMeta {
	ci, _ := m.store.ConsistentIndex()
	return SnapshotMeta{
		ClusterID: m.cluster.id, Members: m.cluster.list(), ConsistentIndex: ci,
		Revision: m.store.Rev(), Leases: m.lessor.Snapshot(), Alarms: m.alarms.get(AlarmNone),
	}
}

// installSnapshot replaces the state with a snapshot's: a new backend from
// its stream, and everything reopened from it.
func (m *Member) installSnapshot(s raft.Snapshot) error {
	m.CommitBackend() // the install closes and replaces the backend
	meta, stream, err := DecodeSnapshot(s.Data)
	if err != nil {
		return err
	}
	if stream == nil {
		return fmt.Errorf("server: snapshot %d is thin (metadata only) and holds no backend to install; the leader sends full snapshots (Config.ThinSnapshots)", s.Meta.Index)
	}
	b, err := m.cfg.RestoreBackend(stream)
	if err != nil {
		return fmt.Errorf("server: restore snapshot %d: %w", s.Meta.Index, err)
	}
	if err := m.open(b); err != nil {
		return err
	}
	if m.applied != s.Meta.Index || meta.ConsistentIndex != s.Meta.Index {
		panic(fmt.Sprintf("Member.installSnapshot: snapshot %d holds a backend at consistent index %d (meta says %d)", s.Meta.Index, m.applied, meta.ConsistentIndex))
	}
	m.snapIndex = s.Meta.Index
	m.emit(Event{Kind: EvSnapshotInstalled, Index: s.Meta.Index, Revision: m.store.Rev()})
	return nil
}
