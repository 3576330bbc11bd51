package daemon

// The loop: one goroutine owns the server.Member, as etcd's raftNode loop
// owns its RawNode. Everything that changes the member arrives on a
// channel; after each arrival the loop carries out every Ready in the
// order core/server/ready.go prescribes:
//
// Before a Ready the loop drains every message and request already waiting
// (drain): group commit, one WAL fsync and one bbolt commit for all of them.
//
//	 ticker ───────┐
//	 peers ────────┤                 ┌─ 1. persist: snapshot, WAL (fsync if MustSync), markers, release
//	 requests ─────┼─> member ──Ready┼─ 2. send messages (transport, never blocks)
//	 control ──────┤                 ├─ 3. Advance: apply committed entries, ONE bbolt commit
//	 unreachable ──┤                 └─ 4. answer waiting requests; feed watch streams
//	 snapshot   ───┘  a snapshot file written off the loop: its WAL marker, release (snapshot.go)
//
// Steps 1 to 3 overlap where Raft allows it (pipeline.go): a leader sends
// before its fsync, and entries persisted by earlier Readies are applied
// while this Ready's fsync runs.
//
// A storage error stops the member (etcd panics): a member that cannot
// persist must not send what it did not persist.

import (
	"errors"
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/server"
)

const (
	recvBuffer    = 4096 // raft messages from peers waiting for the loop
	requestBuffer = 1024 // client requests waiting for the loop
	// maxDrainPerReady: messages and requests taken in before one Ready.
	maxDrainPerReady = recvBuffer + requestBuffer
	// progressInterval: etcd's default watch progress notify interval.
	progressInterval = 10 * time.Minute
)

// Live is the loop's view of the member after its latest Ready, for
// readers that must not wait for the loop (response headers, health).
type Live struct {
	ID, ClusterID uint64
	Role          raft.Role
	Lead          raft.NodeID
	Term          uint64
	Revision      int64
	Applied       uint64
	Alarms        []server.AlarmMember // raised alarms (nil: none)
}

func (d *Daemon) run() {
	defer close(d.donec)
	defer d.shutdown()
	defer d.commitBackend() // before shutdown closes the backend
	defer d.finishSnapshotWrite()
	ticker := time.NewTicker(d.cfg.HeartbeatInterval)
	defer ticker.Stop()
	progress := time.NewTicker(progressInterval)
	defer progress.Stop()
	attrsEvery, ticks := attrsAnnounceTicks(d.cfg), 0
	for {
		select {
		case <-d.stopc:
			return
		case <-ticker.C:
			d.member.Tick()
			if ticks++; ticks%attrsEvery == 1 {
				d.announceAttrs()
			}
		case m := <-d.recvc:
			d.step(m)
			d.drain()
		case c := <-d.reqc:
			d.submit(c)
			d.drain()
		case fn := <-d.ctlc:
			fn()
		case <-d.unreac:
			d.flushUnreachable()
		case <-progress.C:
			d.member.NotifyWatchProgress()
		case w := <-d.snapDone:
			if err := d.snapshotWritten(w); err != nil {
				d.log.Error("stopping: storage failed", "error", err)
				d.fail(err)
				return
			}
		}
		if err := d.processReady(); err != nil {
			d.log.Error("stopping: storage failed", "error", err)
			d.fail(err)
			return
		}
		if d.removedNow() {
			d.log.Warn("this member was removed from the cluster; stopping")
			d.fail(ErrRemoved)
			return
		}
		if d.logLost != nil {
			d.log.Error("stopping: the log lost entries this member acknowledged; restore its data dir (or remove and re-add the member)", "error", d.logLost)
			d.fail(d.logLost)
			return
		}
		d.pumpWatches()
	}
}

// step hands one peer's message to the member. Raft refusing a message is
// routine (stale, from a removed peer...) — except raft.ErrLogLost: the
// leader commits entries this member acknowledged and no longer has, so its
// disk lost data; serving on would break what its acknowledgements
// promised, and the loop stops the member (etcd panics there).
func (d *Daemon) step(m raft.Message) {
	err := d.member.Step(m)
	switch {
	case err == nil:
	case errors.Is(err, raft.ErrLogLost):
		d.logLost = err
	default:
		d.log.Debug("raft refused a message", "type", m.Type.String(), "from", fmtID(uint64(m.From)), "error", err)
	}
}

// drain hands the member every message and request already waiting, up to
// maxDrainPerReady, before the loop asks for a Ready: group commit. All the
// proposals that arrived while the last Ready was being fsynced go out in
// one WAL write + fsync, one MsgApp per follower, and one bbolt commit when
// they apply (etcd's raftNode gets the same from its node.Propose channel
// feeding one Ready). The bound keeps a flood from starving the ticker.
func (d *Daemon) drain() {
	for range maxDrainPerReady {
		select {
		case m := <-d.recvc:
			d.step(m)
		case c := <-d.reqc:
			d.submit(c)
		default:
			return
		}
	}
}

// processReady carries out every Ready the member has.
func (d *Daemon) processReady() error {
	for d.member.HasReady() {
		rd := d.member.Ready()
		d.logEvents(rd)
		if err := d.carryOut(rd); err != nil {
			return err
		}
		if membershipChanged(rd) {
			d.syncPeers()
		}
		if snapshotInstalled(rd) {
			d.endWatchStreams(ErrWatchStoreReplaced)
		}
		d.deliver(rd.Responses)
	}
	d.publishLive()
	return nil
}

// commitBackend commits what the member applied since its last backend
// commit (core/server batch.go). Failing here loses nothing: the WAL holds
// those entries and a restart applies them again.
func (d *Daemon) commitBackend() {
	defer func() {
		if r := recover(); r != nil {
			d.log.Warn("final backend commit failed; the WAL will replay it at restart", "error", r)
		}
	}()
	d.member.CommitBackend()
}

// send puts one message on the wire; a drop is Raft's to repair.
func (d *Daemon) send(m raft.Message) {
	if m.To == d.id {
		return
	}
	if err := d.tr.Send(m); err != nil {
		d.log.Debug("message dropped", "type", m.Type.String(), "to", fmtID(uint64(m.To)), "error", err)
	}
}

// publishLive refreshes the lock-free view.
func (d *Daemon) publishLive() {
	m := d.member
	d.live.Store(&Live{
		ID: uint64(d.id), ClusterID: d.clusterID, Role: m.Role(), Lead: m.Lead(), Term: m.Term(),
		Revision: m.Store().Rev(), Applied: m.AppliedIndex(), Alarms: m.ActiveAlarms(),
	})
}

// Live returns the loop's latest view of the member.
func (d *Daemon) Live() Live { return *d.live.Load() }

// receive is the transport's Handler: hand the message to the loop, or
// drop it if the loop is that far behind (Raft retransmits).
func (d *Daemon) receive(m raft.Message) {
	if m.Type == msgMemberAttrs {
		d.attrsReceived(m)
		return
	}
	select {
	case d.recvc <- m:
	default:
	}
}

// reportUnreachable is the transport's OnUnreachable: coalesced, never
// blocking; the loop reports each peer once per wakeup.
func (d *Daemon) reportUnreachable(id raft.NodeID) {
	d.unreachMu.Lock()
	d.unreach[id] = true
	d.unreachMu.Unlock()
	select {
	case d.unreac <- struct{}{}:
	default:
	}
}

func (d *Daemon) flushUnreachable() {
	d.unreachMu.Lock()
	ids := d.unreach
	d.unreach = map[raft.NodeID]bool{}
	d.unreachMu.Unlock()
	for id := range ids {
		d.member.ReportUnreachable(id)
	}
}

// syncPeers makes the transport's peers the membership's.
func (d *Daemon) syncPeers() {
	members := d.member.Status().Members
	if len(members) == 0 {
		return
	}
	seen := map[raft.NodeID]bool{}
	for _, m := range members {
		seen[m.ID] = true
		if m.ID == d.id {
			d.listed = true
			continue
		}
		old, known := d.peers[m.ID]
		switch {
		case !known:
			d.tr.AddPeer(m.ID, m.PeerURLs)
			d.log.Info("added peer", "peer-id", fmtID(uint64(m.ID)), "peer-urls", m.PeerURLs)
		case !sameURLs(old, m.PeerURLs):
			d.tr.UpdatePeer(m.ID, m.PeerURLs)
		}
		d.peers[m.ID] = m.PeerURLs
	}
	for id := range d.peers {
		if !seen[id] && id != d.id {
			d.tr.RemovePeer(id)
			delete(d.peers, id)
			d.log.Info("removed peer", "peer-id", fmtID(uint64(id)))
		}
	}
}

func membershipChanged(rd server.Ready) bool {
	for _, e := range rd.Events {
		switch e.Kind {
		case server.EvMemberAdded, server.EvMemberRemoved, server.EvMemberUpdated, server.EvSnapshotInstalled:
			return true
		}
	}
	return false
}

func snapshotInstalled(rd server.Ready) bool {
	for _, e := range rd.Events {
		if e.Kind == server.EvSnapshotInstalled {
			return true
		}
	}
	return false
}

// removedNow reports that this member, once listed in the membership, was
// removed from it (etcd stops such a member) — or that a peer said so: a
// removed member may never apply its own removal, since the leader stops
// replicating to it. A joining member installs a
// snapshot taken before its own addition, which does not list it yet: that
// is not a removal.
func (d *Daemon) removedNow() bool {
	if d.removedByPeer.Load() {
		return true
	}
	if !d.member.Removed() {
		if d.member.ClusterID() != 0 {
			d.listed = true
		}
		return false
	}
	return d.listed
}
