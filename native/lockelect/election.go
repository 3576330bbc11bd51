package lockelect

// The Election service (etcd: server/etcdserver/api/v3election/
// election.go): leader election on a name, run by the server with
// clientv3's concurrency.Election for clients that do not run it:
//
//	Campaign(name, lease, value)  put name/<lease hex> = value and wait
//	                              until it is the oldest key under name/;
//	                              answer the LeaderKey {name, key, rev, lease}
//	Proclaim(leader, value)       overwrite the leader's value, if its key
//	                              still has create revision rev
//	Leader(name)                  the oldest key under name/ and its value
//	Observe(name)                 stream the leader's key-value each time
//	                              the leader or its value changes
//	Resign(leader)                delete the leader's key, if still its own
//
// Errors are the concurrency package's, as etcd returns them (code
// Unknown): "election: not leader" for a Proclaim by a key that is not
// the leader, "election: no leader" for Leader on an empty election.

import (
	"context"
	"errors"

	"go.etcd.io/etcd/client/v3/concurrency"
)

// errMissingLeaderKey answers a Proclaim or Resign without a LeaderKey
// (etcd: v3election.ErrMissingLeaderKey).
var errMissingLeaderKey = errors.New(`"leader" field must be provided`)

// noLease is the lease of sessions that only read (Leader, Observe): etcd
// passes -1, which is never a granted lease.
const noLease = -1

type electionServer struct{ self *selfClient }

func (e electionServer) Campaign(ctx context.Context, r *CampaignRequest) (*CampaignResponse, error) {
	s, err := callerSession(ctx, e.self, r.Lease)
	if err != nil {
		return nil, err
	}
	el := concurrency.NewElection(s, string(r.Name))
	if err := el.Campaign(ctx, string(r.Value)); err != nil {
		return nil, err
	}
	leader := &LeaderKey{Name: r.Name, Key: []byte(el.Key()), Rev: el.Rev(), Lease: int64(s.Lease())}
	return &CampaignResponse{Header: el.Header(), Leader: leader}, nil
}

func (e electionServer) Proclaim(ctx context.Context, r *ProclaimRequest) (*ProclaimResponse, error) {
	el, err := e.resume(ctx, r.Leader)
	if err != nil {
		return nil, err
	}
	if err := el.Proclaim(ctx, string(r.Value)); err != nil {
		return nil, err
	}
	return &ProclaimResponse{Header: el.Header()}, nil
}

func (e electionServer) Resign(ctx context.Context, r *ResignRequest) (*ResignResponse, error) {
	el, err := e.resume(ctx, r.Leader)
	if err != nil {
		return nil, err
	}
	if err := el.Resign(ctx); err != nil {
		return nil, err
	}
	return &ResignResponse{Header: el.Header()}, nil
}

// resume takes up the election a LeaderKey proves leadership of.
func (e electionServer) resume(ctx context.Context, l *LeaderKey) (*concurrency.Election, error) {
	if l == nil {
		return nil, errMissingLeaderKey
	}
	s, err := callerSession(ctx, e.self, l.Lease)
	if err != nil {
		return nil, err
	}
	return concurrency.ResumeElection(s, string(l.Name), string(l.Key), l.Rev), nil
}

func (e electionServer) Leader(ctx context.Context, r *LeaderRequest) (*LeaderResponse, error) {
	s, err := callerSession(ctx, e.self, noLease)
	if err != nil {
		return nil, err
	}
	resp, err := concurrency.NewElection(s, string(r.Name)).Leader(ctx)
	if err != nil {
		return nil, err
	}
	return &LeaderResponse{Header: resp.Header, Kv: resp.Kvs[0]}, nil
}

// Observe streams the leader's key-value until the caller goes away or
// the watch underneath ends.
func (e electionServer) Observe(r *LeaderRequest, stream observeStream) error {
	ctx := stream.Context()
	s, err := callerSession(ctx, e.self, noLease)
	if err != nil {
		return err
	}
	changes := concurrency.NewElection(s, string(r.Name)).Observe(ctx)
	for ctx.Err() == nil {
		select {
		case <-ctx.Done():
		case resp, ok := <-changes:
			if !ok {
				return nil
			}
			if err := stream.Send(&LeaderResponse{Header: resp.Header, Kv: resp.Kvs[0]}); err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}
