package server

// Watch through the member: the key space's watch hub (core/mvcc), with
// the member doing what etcd's background loops do — SyncWatchers on
// every tick, so unsynced watchers catch up and victims retry. The caller
// opens a stream, creates watchers on it and pulls responses.
//
//	st := m.NewWatchStream()
//	st.Watch(mvcc.WatchRequest{Key: []byte("foo")})
//	... m.Tick(), writes applied ...
//	st.Responses()
//
// A snapshot install replaces the store, and with it the hub: streams
// opened before are closed (doc.go, deviations); the client watches again
// from the revision it last saw.

import "github.com/etcdlab/etcdlab/core/mvcc"

// NewWatchStream opens a watch stream on the member's key space.
func (m *Member) NewWatchStream() *mvcc.Stream {
	st := m.store.NewWatchStream()
	m.streams = append(m.streams, st)
	return st
}

// NotifyWatchProgress sends progress notifications to quiet watchers that
// asked for them (etcd: every 10 minutes; the caller chooses the cadence).
func (m *Member) NotifyWatchProgress() { m.store.NotifyProgress() }
