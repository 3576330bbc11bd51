package api

// What a learner serves (etcd: v3rpc/interceptor.go,
// isRPCSupportedForLearner). A learner holds the log but is not counted in
// any quorum and may lag; so it answers only what needs nothing from the
// leader and no promise of freshness: Status, serializable Range, and (as
// etcd 3.5) the Snapshot stream. Everything else is refused with etcd's
// "etcdserver: rpc not supported for learner" (rpctypes spells its name
// ErrGPRCNotSupportedForLearner), code Unavailable, so a client with
// other endpoints moves on to them.

import (
	"github.com/etcdlab/etcdlab/core/raft"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
)

// snapshotMethod is the one stream a learner serves (etcd 3.5).
const snapshotMethod = "/etcdserverpb.Maintenance/Snapshot"

// learnerRefusesUnary reports etcd's refusal if this member is a learner
// and req is not one a learner serves.
func (s *Server) learnerRefusesUnary(req any) error {
	if s.d.Live().Role != raft.Learner {
		return nil
	}
	switch r := req.(type) {
	case *pb.StatusRequest:
		return nil
	case *pb.RangeRequest:
		if r.Serializable {
			return nil
		}
	}
	return rpctypes.ErrGPRCNotSupportedForLearner
}

// learnerRefusesStream is the same for streams: only Snapshot.
func (s *Server) learnerRefusesStream(method string) error {
	if s.d.Live().Role != raft.Learner || method == snapshotMethod {
		return nil
	}
	return rpctypes.ErrGPRCNotSupportedForLearner
}
