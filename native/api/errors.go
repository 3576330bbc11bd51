package api

// Errors on the wire. Clients (clientv3, etcdctl) recognise etcd's errors
// by their gRPC status — code and message — so every operating error of
// the core is turned into the status rpctypes defines for it (etcd:
// v3rpc/util.go togRPCError). The core's messages already are etcd's, so
// an error with no entry here keeps its text, with code Unknown.

import (
	"context"
	"errors"

	"github.com/etcdlab/etcdlab/core/lease"
	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/server"
	"github.com/etcdlab/etcdlab/native/daemon"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// grpcErrors pairs each core error with etcd's gRPC status.
var grpcErrors = []struct {
	core, grpc error
}{
	{mvcc.ErrCompacted, rpctypes.ErrGRPCCompacted},
	{mvcc.ErrFutureRev, rpctypes.ErrGRPCFutureRev},
	{mvcc.ErrEmptyKey, rpctypes.ErrGRPCEmptyKey},
	{mvcc.ErrKeyNotFound, rpctypes.ErrGRPCKeyNotFound},
	{mvcc.ErrValueProvided, rpctypes.ErrGRPCValueProvided},
	{mvcc.ErrLeaseProvided, rpctypes.ErrGRPCLeaseProvided},
	{mvcc.ErrTooManyOps, rpctypes.ErrGRPCTooManyOps},
	{mvcc.ErrDuplicateKey, rpctypes.ErrGRPCDuplicateKey},
	{mvcc.ErrLeaseNotFound, rpctypes.ErrGRPCLeaseNotFound},
	{lease.ErrLeaseNotFound, rpctypes.ErrGRPCLeaseNotFound},
	{lease.ErrLeaseExists, rpctypes.ErrGRPCLeaseExist},
	{lease.ErrLeaseTTLTooLarge, rpctypes.ErrGRPCLeaseTTLTooLarge},
	{server.ErrRequestTooLarge, rpctypes.ErrGRPCRequestTooLarge},
	{server.ErrNoSpace, rpctypes.ErrGRPCNoSpace},
	{server.ErrTimeout, rpctypes.ErrGRPCTimeout},
	{server.ErrTimeoutDueToLeaderFail, rpctypes.ErrGRPCTimeoutDueToLeaderFail},
	{server.ErrLeaderChanged, rpctypes.ErrGRPCLeaderChanged},
	{server.ErrNoLeader, rpctypes.ErrGRPCNoLeader},
	{server.ErrNotLeader, rpctypes.ErrGRPCNotLeader},
	{lease.ErrNotPrimary, rpctypes.ErrGRPCNotLeader},
	{server.ErrTooManyRequests, rpctypes.ErrGRPCRequestTooManyRequests},
	{server.ErrMemberIDExists, rpctypes.ErrGRPCMemberExist},
	{server.ErrPeerURLExists, rpctypes.ErrGRPCPeerURLExist},
	{server.ErrMemberNotFound, rpctypes.ErrGRPCMemberNotFound},
	{server.ErrIDRemoved, rpctypes.ErrGRPCMemberNotFound},
	{server.ErrMemberNotLearner, rpctypes.ErrGRPCMemberNotLearner},
	{server.ErrLearnerNotReady, rpctypes.ErrGRPCLearnerNotReady},
	{server.ErrNotEnoughStarted, rpctypes.ErrGRPCMemberNotEnoughStarted},
	{server.ErrTooManyLearners, rpctypes.ErrGRPCTooManyLearners},
	{server.ErrBadPeerURLs, rpctypes.ErrGRPCMemberBadURLs},
	{daemon.ErrStopped, rpctypes.ErrGRPCStopped},
	{daemon.ErrRemoved, rpctypes.ErrGRPCStopped},
	{daemon.ErrLeaderTransferTimeout, rpctypes.ErrGRPCTimeout},
	// Unavailable, so that clients watch again (clientv3 retries it).
	{daemon.ErrWatchStoreReplaced, status.Error(codes.Unavailable, daemon.ErrWatchStoreReplaced.Error())},
}

// toGRPC returns etcd's status error for err (nil for nil).
func toGRPC(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	for _, e := range grpcErrors {
		if errors.Is(err, e.core) {
			return e.grpc
		}
	}
	switch {
	case errors.Is(err, context.Canceled):
		return rpctypes.ErrGRPCCanceled
	case errors.Is(err, context.DeadlineExceeded):
		return rpctypes.ErrGRPCDeadlineExceeded
	}
	return status.Error(codes.Unknown, err.Error())
}
