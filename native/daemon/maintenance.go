package daemon

// Operations on this one member that are not client requests of the log:
// status, hashes, defragmentation, the backend snapshot stream, moving
// leadership (etcd: the Maintenance service). Each runs on the loop,
// except the snapshot stream, which reads the bbolt file beside it.

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/server"
)

// Status is a member's state for the Maintenance.Status RPC.
type Status struct {
	server.Status
	IsLearner    bool
	RaftIndex    uint64 // the commit index (etcd: raftIndex)
	AppliedIndex uint64
	Errors       []string
}

// Status returns the member's state.
func (d *Daemon) Status(ctx context.Context) (Status, error) {
	var st Status
	err := d.control(ctx, func() {
		st.Status = d.member.Status()
		st.RaftIndex = d.member.CommittedIndex()
		st.AppliedIndex = d.member.AppliedIndex()
		for _, m := range st.Members {
			if m.ID == d.id {
				st.IsLearner = m.IsLearner
			}
		}
		for _, a := range st.Alarms {
			st.Errors = append(st.Errors, fmt.Sprintf("memberID:%d alarm:%s ", uint64(a.MemberID), a.Alarm))
		}
	})
	return st, err
}

// Members lists the members with the client URLs they announced.
func (d *Daemon) Members(ctx context.Context) ([]server.MemberInfo, error) {
	var ms []server.MemberInfo
	err := d.control(ctx, func() { ms = d.member.Status().Members })
	d.FillClientURLs(ms)
	return ms, err
}

// FillClientURLs sets the client URLs of ms from the announcements.
func (d *Daemon) FillClientURLs(ms []server.MemberInfo) {
	for i := range ms {
		if len(ms[i].ClientURLs) == 0 {
			ms[i].ClientURLs = d.ClientURLs(ms[i].ID)
		}
	}
}

// HashKV hashes the key space's history up to rev (0: all).
func (d *Daemon) HashKV(ctx context.Context, rev int64) (hash uint32, compactRev, currentRev int64, err error) {
	cerr := d.control(ctx, func() { hash, compactRev, currentRev, err = d.member.HashKV(rev) })
	if cerr != nil {
		return 0, 0, 0, cerr
	}
	return hash, compactRev, currentRev, err
}

// Hash hashes the whole backend file's contents.
func (d *Daemon) Hash(ctx context.Context) (uint32, int64, error) {
	var h uint32
	var rev int64
	err := d.control(ctx, func() { d.member.CommitBackend(); h, rev = d.db.Hash(nil), d.member.Store().Rev() })
	return h, rev, err
}

// Defrag defragments this member's backend (the loop waits meanwhile, as
// etcd's applies wait for its defrag).
func (d *Daemon) Defrag(ctx context.Context) error {
	var err error
	if cerr := d.control(ctx, func() { err = d.member.Defrag() }); cerr != nil {
		return cerr
	}
	return err
}

// Snapshot streams the backend file followed by its SHA-256, as etcd's
// Maintenance.Snapshot does, and returns the file's size before the
// trailer. The open apply batch is committed first, so the stream holds
// everything applied when it was asked for (etcd commits its batch before
// a snapshot too). The loop keeps running; a snapshot install waits for it.
func (d *Daemon) Snapshot(ctx context.Context, w io.Writer) (int64, error) {
	d.dbUse.RLock()
	defer d.dbUse.RUnlock()
	var db interface {
		WriteTo(io.Writer) (int64, error)
	}
	if err := d.control(ctx, func() { d.member.CommitBackend(); db = d.db }); err != nil {
		return 0, err
	}
	h := sha256.New()
	n, err := db.WriteTo(io.MultiWriter(w, h))
	if err != nil {
		return n, err
	}
	_, err = w.Write(h.Sum(nil))
	return n, err
}

// MoveLeader asks the leader (this member) to hand leadership to target
// and waits until it did or the election timeout passed a few times.
func (d *Daemon) MoveLeader(ctx context.Context, target raft.NodeID) error {
	if l := d.Live(); l.Lead != d.id {
		return server.ErrNotLeader
	}
	if err := d.control(ctx, func() { d.member.TransferLeader(target) }); err != nil {
		return err
	}
	deadline := time.NewTimer(3 * d.cfg.ElectionTimeout)
	defer deadline.Stop()
	poll := time.NewTicker(d.cfg.HeartbeatInterval)
	defer poll.Stop()
	for {
		if d.Live().Lead == target {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline.C:
			return ErrLeaderTransferTimeout
		case <-poll.C:
		}
	}
}

// ErrLeaderTransferTimeout: etcd's ErrTimeoutLeaderTransfer.
var ErrLeaderTransferTimeout = fmt.Errorf("etcdserver: request timed out, leader transfer took too long")

// ID is this member's ID; ClusterID the cluster's.
func (d *Daemon) ID() raft.NodeID      { return d.id }
func (d *Daemon) ClusterID() uint64    { return d.clusterID }
func (d *Daemon) Config() Config       { return d.cfg }
func (d *Daemon) Logger() *slog.Logger { return d.log }
