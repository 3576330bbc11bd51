package daemon

// Overlapping the disk with the rest of a Ready. Done strictly in order,
// a Ready costs the sum of its parts: the leader's fsync, then the
// follower's fsync (it only hears of the entries after the leader's), then
// the apply. Two reorderings that etcd's raftNode also makes
// (server/etcdserver/raft.go) take the disk off most of that path:
//
//	in order:   [leader fsync]──send──>[follower fsync]──ack──>[apply]
//	pipelined:  send──>[follower fsync]──ack──>         leader: send first,
//	            [leader fsync ]                                 fsync meanwhile
//	            [apply older entries]                           apply meanwhile
//
//  1. A leader sends before it persists its own entries (thesis §10.2.1;
//     core/raft types.go Ready, step 2). Its own log counts towards the
//     quorum only through this loop: a follower's ack is stepped after this
//     Ready's persist returned, so nothing commits on a copy the leader has
//     not made durable, and no client hears of an entry before that.
//     Not when the Ready changes the term or the vote (a single-voter
//     cluster wins its election in the same Ready that bumps the term):
//     every message carries the term, which must be on disk first.
//  2. The WAL write and fsync run on a second goroutine while the loop
//     applies the committed entries (etcd applies on its own goroutine,
//     concurrently with the WAL save) — but only entries the WAL already
//     holds: those of earlier Readies, whose persist has returned. A Ready
//     whose committed entries reach into its own Entries, or that carries a
//     snapshot, a created snapshot or a WAL release, is done in order.
//     A follower's messages go out from the persisting goroutine as soon as
//     the fsync returns: they promise the disk, never the apply.
//
//  3. The answers to the entries applied meanwhile go out at once
//     (Member.TakeResponses), not after the fsync of this Ready: those
//     entries are on this disk since an earlier Ready.
//  4. While the persist runs, the loop steps the messages and requests that
//     arrive (stepUntilPersisted): acks and proposals wait for the disk no
//     longer than they must.
//
// The next Ready waits for the persist to return, so every rule of
// core/server ready.go still holds for what an observer can see: nothing
// is answered or applied ahead of the local disk.

import (
	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/server"
)

// sendsFirst reports whether rd's messages may leave before rd is
// persisted: rd is a leader's, and neither the term nor the vote changes.
func (d *Daemon) sendsFirst(rd server.Ready) bool {
	if rd.Role != raft.Leader || !rd.Snapshot.IsEmpty() {
		return false
	}
	if rd.HardState.IsEmpty() {
		return true
	}
	saved := d.wal.SavedHardState()
	return rd.HardState.Term == saved.Term && rd.HardState.Vote == saved.Vote
}

// appliesDuringPersist reports whether Advance(rd) may run while rd is
// being persisted: rd applies only entries persisted by earlier Readies
// and carries no snapshot work (which touches the WAL and the snapshot
// directory, and may replace the backend).
func appliesDuringPersist(rd server.Ready) bool {
	if !rd.Snapshot.IsEmpty() || (rd.CreatedSnapshot != nil && !rd.CreatedSnapshot.IsEmpty()) || rd.CompactIndex > 0 {
		return false
	}
	if len(rd.Entries) == 0 || len(rd.CommittedEntries) == 0 {
		return true
	}
	lastCommitted := rd.CommittedEntries[len(rd.CommittedEntries)-1].Index
	return lastCommitted < rd.Entries[0].Index
}

// carryOut does steps 1 to 3 of rd (persist, send, Advance), overlapping
// them where the rules above allow. It returns a storage error; then
// nothing of rd after the failed write was sent or applied.
func (d *Daemon) carryOut(rd server.Ready) error {
	sent := d.sendsFirst(rd)
	if sent {
		d.sendAll(rd.Messages)
	}
	persistAndSend := func() error {
		if err := d.persist(rd.HardState, rd.Entries, rd.Snapshot, rd.CreatedSnapshot, rd.MustSync, rd.CompactIndex); err != nil {
			return err
		}
		if !sent {
			d.sendAll(rd.Messages)
		}
		return nil
	}
	if !appliesDuringPersist(rd) {
		if err := persistAndSend(); err != nil {
			return err
		}
		d.member.Advance(rd)
		return nil
	}
	persisted := make(chan error, 1)
	go func() { persisted <- persistAndSend() }()
	d.member.Advance(rd)
	d.deliver(d.member.TakeResponses())
	return d.stepUntilPersisted(persisted)
}

// stepUntilPersisted takes in peers' messages and clients' requests until
// the persist of the current Ready returns (etcd's node goroutine steps
// while raftNode saves). What they cause waits for the next Ready, which
// is only taken after the persist: an ack that commits entries of the
// Ready being persisted hands them out after they are on this disk too.
func (d *Daemon) stepUntilPersisted(persisted <-chan error) error {
	for range maxDrainPerReady {
		select {
		case err := <-persisted:
			return err
		case m := <-d.recvc:
			d.step(m)
		case c := <-d.reqc:
			d.submit(c)
		}
	}
	return <-persisted
}

// sendAll puts rd's messages on the wire, in order.
func (d *Daemon) sendAll(msgs []raft.Message) {
	for _, m := range msgs {
		d.send(m)
	}
}
