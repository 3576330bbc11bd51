package daemon

// Logging from the core's typed events (STYLE.md rule 6): role changes,
// snapshots, compactions, alarms, membership. Nothing here parses text.

import (
	"log/slog"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/server"
)

func (d *Daemon) logEvents(rd server.Ready) {
	d.metrics.observeReady(rd)
	for _, e := range rd.RaftEvents {
		d.logRaftEvent(e)
	}
	for _, e := range rd.Events {
		d.logServerEvent(e)
	}
}

func (d *Daemon) logRaftEvent(e raft.Event) {
	switch e.Kind {
	case raft.EvRoleChanged:
		d.log.Info("raft role changed", "role", e.Role.String(), "term", e.Term, "leader", fmtID(uint64(e.Peer)))
	case raft.EvStepDown:
		d.log.Warn("stepped down as leader", "term", e.Term, "reason", e.Reason)
	case raft.EvSnapshotSendStarted:
		d.log.Info("sending snapshot to peer", "peer-id", fmtID(uint64(e.Peer)), "index", e.Index)
	case raft.EvConfChanged:
		d.log.Info("raft membership changed", "change", e.Reason, "index", e.Index)
	case raft.EvConfChangeRefused:
		d.log.Warn("raft refused a membership change", "reason", e.Reason)
	case raft.EvTransferStarted:
		d.log.Info("leadership transfer started", "transferee", fmtID(uint64(e.Peer)))
	case raft.EvTransferAborted:
		d.log.Warn("leadership transfer aborted", "transferee", fmtID(uint64(e.Peer)), "reason", e.Reason)
	}
}

func (d *Daemon) logServerEvent(e server.Event) {
	attrs := []any{"index", e.Index, "revision", e.Revision}
	level, msg := slog.LevelDebug, ""
	switch e.Kind {
	case server.EvCompacted:
		level, msg = slog.LevelInfo, "compacted key space"
	case server.EvSnapshotTaken:
		level, msg = slog.LevelInfo, "took snapshot"
	case server.EvSnapshotInstalled:
		level, msg = slog.LevelInfo, "installed snapshot from leader"
	case server.EvAlarmRaised:
		level, msg = slog.LevelWarn, "alarm raised"
		attrs = append(attrs, "alarm", e.Reason, "alarm-member", fmtID(uint64(e.Peer)))
	case server.EvAlarmDisarmed:
		level, msg = slog.LevelInfo, "alarm disarmed"
		attrs = append(attrs, "alarm", e.Reason, "alarm-member", fmtID(uint64(e.Peer)))
	case server.EvMemberAdded, server.EvMemberRemoved, server.EvMemberPromoted, server.EvMemberUpdated:
		level, msg = slog.LevelInfo, e.Kind.String()
		attrs = append(attrs, "peer-id", fmtID(uint64(e.Peer)), "detail", e.Reason)
	case server.EvDefragmented:
		level, msg = slog.LevelInfo, "defragmented backend"
		attrs = append(attrs, "sizes", e.Reason)
	case server.EvLeaseExpired:
		level, msg = slog.LevelDebug, "lease expired"
		attrs = append(attrs, "lease", e.Lease.String())
	default:
		return
	}
	d.log.Log(nil, level, msg, attrs...)
}
