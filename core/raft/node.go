package raft

// Node is one member's Raft state machine. It does no I/O and keeps no clock:
// the caller feeds it ticks and messages and carries out the Ready batches it
// returns (see Ready for the order). The simulator and the daemon both drive
// it the same way:
//
//	for {
//	    node.Tick() / node.Step(msg) / node.Propose(data) ...
//	    if node.HasReady() {
//	        rd := node.Ready()
//	        persist(rd.HardState, rd.Snapshot, rd.Entries)
//	        send(rd.Messages)
//	        apply(rd.Snapshot, rd.CommittedEntries)
//	        node.Advance(rd)
//	    }
//	}
//
// Node keeps the whole uncompacted log in memory; the caller bounds it by
// taking snapshots (CreateSnapshot) and compacting (Compact).
//
// API CONTRACT (implemented in the other files of this package):
//
//	New(cfg Config) (*Node, error)
//	    a node from a config: brand new (Bootstrap) or restarting from
//	    persisted state. On restart the membership is rebuilt from the
//	    snapshot plus the conf-change entries up to cfg.Applied.
//	(*Node) Tick()
//	    one tick of logical time: followers count towards an election,
//	    leaders towards a heartbeat and a quorum check.
//	(*Node) Step(m Message) error
//	    deliver a message from the network (or a local one).
//	(*Node) Campaign() error
//	    start an election now (as MsgHup).
//	(*Node) Propose(data []byte) error
//	    append a normal entry (forwarded to the leader by followers).
//	(*Node) ProposeConfChange(cc ConfChange) error
//	    propose a membership change; on the leader it is refused with
//	    ErrConfChangePending, ErrLearnerNotReady, ErrNotLearner,
//	    ErrUnsafeReconfig, ErrMemberExists or ErrMemberNotFound.
//	(*Node) ReadIndex(ctx []byte)
//	    request a read index; the answer arrives as a ReadState.
//	(*Node) TransferLeader(to NodeID)
//	    ask the leader to hand leadership to `to` (thesis §3.10).
//	(*Node) ReportUnreachable(id NodeID)
//	    the transport failed to reach id; the leader probes it again.
//	(*Node) HasReady() bool
//	(*Node) Ready() Ready
//	(*Node) Advance(rd Ready)
//	    the caller has carried out rd. Conf-change entries among
//	    rd.CommittedEntries take effect in the membership here.
//	(*Node) CreateSnapshot(data []byte) (Snapshot, error)
//	    record the application's state as of the applied index as the
//	    latest snapshot (sent to followers that need it) and return it for
//	    the caller to persist.
//	(*Node) Compact(index uint64) error
//	    discard log entries up to index (at most the snapshot's index).
//	(*Node) Status() Status
//	(*Node) Log() []Entry                 the entries in memory (copies)
//	(*Node) LatestSnapshot() *Snapshot    the snapshot held, or nil
