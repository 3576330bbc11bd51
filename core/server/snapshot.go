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
// its .snap files; see native/daemon/snapshot.go for how the daemon keeps
// the write off its loop). Format 1, a CBOR map holding the stream as a
// byte string, is still read.
//
// A follower that receives a snapshot from the leader restores the backend
// from the stream (Config.RestoreBackend) and reopens everything from it
// (state.go) — the key space, the lessor, the membership, the alarms —
// exactly as on a restart.

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

// snapshotHeader opens Data; the backend stream follows it.
type snapshotHeader struct {
	Format int          `cbor:"0,keyasint"`
	Meta   SnapshotMeta `cbor:"1,keyasint"`
}

// snapshotDataV1 is format 1: the stream inside the CBOR map.
type snapshotDataV1 struct {
	Meta    SnapshotMeta `cbor:"1,keyasint"`
	Backend []byte       `cbor:"2,keyasint"`
}

// DecodeSnapshot reads the metadata and backend stream of a snapshot's
// Data (for tools and the visualizer). The stream shares Data's memory.
func DecodeSnapshot(data []byte) (SnapshotMeta, []byte, error) {
	var h snapshotHeader
	rest, err := cbor.UnmarshalFirst(data, &h)
	if err != nil {
		return SnapshotMeta{}, nil, fmt.Errorf("server: decode snapshot header: %w", err)
	}
	switch h.Format {
	case snapshotFormat:
		return h.Meta, rest, nil
	case 0: // format 1 has no format field
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
	m.CommitBackend() // the stream is of the last commit
	data, err := m.encodeSnapshot()
	if err != nil {
		return err
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
