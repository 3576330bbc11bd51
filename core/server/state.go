package server

// Opening the replicated state from a backend. Everything the log builds
// lives in the backend, committed together with the consistent index
// (batch.go), so one routine serves a fresh start, a restart and a
// snapshot install:
//
//	backend buckets               rebuilt in memory
//	"key", "meta" (mvcc)     ->   mvcc.Store: key index, revisions, consistent index
//	"lease"                  ->   lease.Lessor (a follower: every lease held forever)
//	"members", "cluster" ... ->   the membership and the cluster ID
//	"alarm"                  ->   the raised alarms
//
// The lessor is rebuilt before the store, because opening the store
// re-attaches every key to its lease (mvcc's restore calls the Lessor).

import (
	"fmt"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/lease"
	"github.com/etcdlab/etcdlab/core/mvcc"
)

// open makes b the member's backend and rebuilds the state it holds. Watch
// streams of a previous store are closed (see doc.go, deviations).
func (m *Member) open(b backend.Backend) error {
	be := &batchBackend{Backend: b}
	tx := be.BeginWrite()
	for _, name := range []string{membersBucket, removedBucket, clusterBucket, alarmBucket, leaseBucket} {
		if err := tx.CreateBucket(name); err != nil {
			tx.Rollback()
			return fmt.Errorf("server: opening the backend: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("server: opening the backend: %w", err)
	}
	lessor, err := lease.New(lease.Config{
		ElectionTimeout: m.cfg.electionTimeout(), Rand: m.leaseRand,
		EnableCheckpoints: m.cfg.EnableLeaseCheckpoint, CheckpointInterval: m.cfg.LeaseCheckpointInterval,
	})
	if err != nil {
		return fmt.Errorf("server: %w", err)
	}
	rtx := be.BeginRead()
	loadLeases(rtx, lessor, m.now)
	cl := loadCluster(rtx)
	alarms := loadAlarms(rtx)
	rtx.Rollback()
	// Txns were counted against MaxTxnOps when admitted (submit.go); the
	// store applies what the log holds (etcd checks only in front of Raft).
	store, err := mvcc.New(be, mvcc.Config{Lessor: mvccLessor{lessor}, MaxTxnOps: mvcc.NoTxnOpsLimit,
		MaxWatchResponseBytes: m.cfg.MaxRequestBytes})
	if err != nil {
		return fmt.Errorf("server: %w", err)
	}
	for _, st := range m.streams {
		st.Close()
	}
	m.streams = nil
	m.be, m.store, m.lessor, m.cluster, m.alarms = be, store, lessor, cl, alarms
	m.applied, _ = store.ConsistentIndex()
	return nil
}
