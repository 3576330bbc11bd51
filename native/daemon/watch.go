package daemon

// Watch streams between the loop and gRPC. The core's mvcc.Stream lives
// on the loop; its responses are pulled after every wakeup and pushed into
// a bounded Go channel per stream. When the channel is full the loop stops
// pulling, the core's own buffer fills (core.WatchStreamBufferResponses),
// and the stream's watchers become victims that catch up later — a slow
// client slows nobody but itself (etcd: watchableStore victims).
//
//	gRPC recv ─ Watch/Cancel/Progress ─> control ─> mvcc.Stream (loop)
//	loop: st.Responses() ─> pending ─> ch (cap watchChanBuffer) ─> gRPC send

import (
	"context"
	"errors"

	"github.com/etcdlab/etcdlab/core/mvcc"
)

const watchChanBuffer = 128 // etcd: chanBufLen

// ErrWatchStoreReplaced ends watch streams when a snapshot from the leader
// replaced the key space (core/server doc.go: such streams are closed);
// clients watch again from the revision they last saw.
var ErrWatchStoreReplaced = errors.New("etcdserver: watch stream closed: the member installed a snapshot; watch again")

// WatchStream is one client's stream of watchers.
type WatchStream struct {
	d       *Daemon
	st      *mvcc.Stream // loop only
	pending []mvcc.WatchResponse
	ch      chan mvcc.WatchResponse
	done    chan struct{}
	err     error // set before done is closed
	ended   bool  // loop only
}

// NewWatchStream opens a watch stream.
func (d *Daemon) NewWatchStream(ctx context.Context) (*WatchStream, error) {
	ws := &WatchStream{d: d, ch: make(chan mvcc.WatchResponse, watchChanBuffer), done: make(chan struct{})}
	err := d.control(ctx, func() {
		ws.st = d.member.NewWatchStream()
		d.wstrs[ws] = true
	})
	return ws, err
}

// Watch creates a watcher; its Created (or refused) response comes through
// Responses.
func (ws *WatchStream) Watch(ctx context.Context, r mvcc.WatchRequest) error {
	return ws.onLoop(ctx, func() { ws.st.Watch(r) })
}

// Cancel removes a watcher; a Canceled response follows. Canceling an
// unknown ID is ignored, as etcd does.
func (ws *WatchStream) Cancel(ctx context.Context, id mvcc.WatchID) error {
	return ws.onLoop(ctx, func() { ws.st.Cancel(id) })
}

// RequestProgress asks for a progress notification.
func (ws *WatchStream) RequestProgress(ctx context.Context) error {
	return ws.onLoop(ctx, func() { ws.st.RequestProgress() })
}

func (ws *WatchStream) onLoop(ctx context.Context, fn func()) error {
	return ws.d.control(ctx, func() {
		if !ws.ended {
			fn()
			ws.d.pumpOne(ws)
		}
	})
}

// Responses delivers the stream's responses in order.
func (ws *WatchStream) Responses() <-chan mvcc.WatchResponse { return ws.ch }

// Done is closed when the stream ended on the member's side; Err says why.
func (ws *WatchStream) Done() <-chan struct{} { return ws.done }

// Err is why the stream ended (after Done is closed).
func (ws *WatchStream) Err() error {
	<-ws.done
	return ws.err
}

// Close removes every watcher of the stream.
func (ws *WatchStream) Close() {
	_ = ws.d.control(context.Background(), func() { ws.end(nil) })
}

// end runs on the loop: close the core stream and signal the consumer.
func (ws *WatchStream) end(err error) {
	if ws.ended {
		return
	}
	ws.ended = true
	ws.st.Close()
	delete(ws.d.wstrs, ws)
	ws.err = err
	close(ws.done)
}

// pumpWatches moves responses of every stream towards its consumer.
func (d *Daemon) pumpWatches() {
	for ws := range d.wstrs {
		d.pumpOne(ws)
	}
}

func (d *Daemon) pumpOne(ws *WatchStream) {
	if len(ws.pending) == 0 {
		ws.pending = ws.st.Responses()
	}
	for len(ws.pending) > 0 {
		select {
		case ws.ch <- ws.pending[0]:
			ws.pending = ws.pending[1:]
		default:
			return
		}
	}
	ws.pending = nil
}

// endWatchStreams ends every stream (a snapshot install replaced the store).
func (d *Daemon) endWatchStreams(err error) {
	for ws := range d.wstrs {
		ws.end(err)
	}
}
