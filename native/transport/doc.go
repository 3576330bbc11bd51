// Package transport carries raft messages between the daemon processes of a
// cluster. The core's raft.Node only returns the messages it wants sent
// (Ready.Messages); this package puts them on the wire, takes the peers'
// messages off it, and tells the daemon when a peer cannot be reached so
// that the leader slows down (node.ReportUnreachable).
//
// # Basics
//
// Every member listens on its peer URLs and keeps one outgoing stream open to
// every other member. A stream is one TCP (or TLS) connection that carries
// messages in one direction only, so a pair of members uses two:
//
//	        member 1                                          member 2
//	Send(m) -> queue[2] -> writer ===== stream 1->2 =====> reader -> Handler(m)
//	Handler(m) <- reader <===== stream 2->1 ===== writer <- queue[1] <- Send(m)
//
// A stream opens with an HTTP/1.1 upgrade (handshake.go): GET /raft/stream
// with the cluster ID, the sender's and the recipient's member IDs in
// headers; the recipient checks them against its membership and answers 101
// Switching Protocols, after which the connection carries nothing but frames
// (frame.go): a 4-byte length, then a CBOR-encoded raft.Message of at most
// MaxFrameBytes.
//
// Why an upgrade and not a streaming POST body: after the upgrade the
// connection is a plain byte pipe, so a frame is two writes and a read is
// two reads, with deadlines we set ourselves, and nothing of net/http's
// request-body machinery (chunking, full-duplex rules) sits in between. The
// HTTP part still earns its keep: peer URLs stay http(s)://host:port as in
// etcd, refusals are ordinary status codes an operator can see with curl,
// and other peer-port endpoints could share the listener later.
//
// The daemon's side of it:
//
//	tr, _ := transport.New(transport.Config{ClusterID: cid, ID: me,
//	    ListenURLs: peerURLs, Handler: toLoop, OnUnreachable: reportLater})
//	tr.AddPeer(id, urls)        // for every other member, and on conf changes
//	for _, m := range rd.Messages { tr.Send(m) }   // after persisting, never blocks
//	tr.Stop()
//
// # Ordering
//
// Messages from one member to another are delivered in the order Send
// accepted them, possibly with gaps (drops), never reordered or duplicated:
// one writer per peer writes its queue in order onto one stream at a time,
// TCP keeps the order, one reader per stream calls the Handler in order,
// and a new stream from the same sender starts reading only after the
// previous one's reader has finished (inbound.go). Nothing is retransmitted
// by the transport; Raft retransmits what matters (Raft §5.3: "if followers
// crash or run slowly, or if network packets are lost, the leader retries
// AppendEntries RPCs indefinitely"). There is no order between different
// senders.
//
// # Back-pressure and drops
//
// Send never blocks the daemon's loop. It encodes the message (so the
// caller may reuse it) and puts the frame in the peer's queue, bounded by
// QueueMessages (4096) and QueueBytes (64 MiB). If the queue is full the
// message is dropped, counted and the peer reported unreachable. The queue
// fills when the peer is down (the writer does not take from the queue while
// it has no stream) or slow (its writes block; a write that takes longer
// than WriteTimeout breaks the stream). A reported peer drops back to
// probing in the leader, so the traffic to it shrinks to one append per
// heartbeat until it answers again. Every drop has a reason in Stats:
// queue full, too large, write failed, stopped (queued at RemovePeer or
// Stop), unknown peer, invalid (a received message misaddressed).
//
// The receiving side pushes back through TCP: a Handler that blocks stops
// its stream's reader, the socket buffers fill, the sender's writes block,
// its queue fills and it drops. So the Handler should hand messages to the
// raft loop through a buffered channel and accept the loss when it is full.
//
// A writer that cannot connect retries after MinBackoff, doubling up to
// MaxBackoff, trying a peer's URLs in turn; UpdatePeer makes it retry at
// once. Stop closes the listeners and inbound streams, gives connected
// writers DrainTimeout to flush their queues, drops the rest and waits for
// every goroutine of the package.
//
// # How it maps to etcd's rafthttp
//
//   - etcd keeps two streams per peer and direction (msgappv2 for appends,
//     message for the rest) plus a pipeline of one-shot POSTs for snapshots
//     and for when no stream is up. etcdlab keeps one stream: snapshots are
//     already chunked by the core (MsgSnap chunks of core.SnapshotChunkBytes,
//     at most core.MaxSnapshotChunksInflight in flight), so a snapshot never
//     holds a stream for long, and with no stream up there is no pipeline
//     fallback: messages wait in the queue or are dropped.
//   - In etcd the receiver of messages dials the sender (a long-lived GET
//     whose response body the sender writes); here the sender dials the
//     receiver, so the side that has something to say is the side that
//     reconnects.
//   - The handshake checks are etcd's: cluster ID ("request cluster ID
//     mismatch", 412), removed member ("rejected stream from remote peer
//     because it was removed", 410), unknown sender (404) and recipient
//     ("to field mismatch", 412), logged on the refusing side and returned
//     to the dialer as ErrClusterIDMismatch, ErrRemovedMember,
//     ErrUnknownSender, ErrRecipientMismatch. etcd also checks the server
//     version and the protocol of the stream; etcdlab names one protocol
//     (etcdlab-raft/1) in the Upgrade header and refuses any other.
//   - Queue size (4096, etcd's streamBufSize) and write timeout (5 s,
//     etcd's ConnWriteTimeout) are etcd's; the byte bound on the queue and
//     MaxFrameBytes (8 MiB, where etcd reads up to 512 MB) are etcdlab's.
//   - ActiveSince is etcd's "connected since", used by the strict
//     reconfiguration check; here it is the time the outgoing stream came
//     up, zero while it is down.
//   - etcd sends a heartbeat frame on idle streams and times out reads after
//     5 s. etcdlab's streams have no idle frames: a dead peer is found by a
//     failed or timed-out write, by the closed read side (the writer watches
//     it), or by TCP keep-alive (Go's default, 15 s) on a silent one.
//
// # Caveats
//
//   - A message too large to frame is dropped and its peer reported
//     unreachable; raft, probing again, would build the same message. With
//     etcdlab's limits (1 MiB per append, 1.5 MiB per request) no message
//     comes near MaxFrameBytes, so this is a bug detector, not a mode.
//   - Frames written before a stream broke may or may not have arrived;
//     they are counted as DroppedWriteFailed either way.
//   - OnUnreachable is called once per lost message (as etcd does), from
//     any goroutine; the daemon should coalesce.
package transport
