package transport

// A frame is one raft.Message on a stream: a 4-byte big-endian length, then
// that many bytes of CBOR (the field tags of core/raft/types.go).
//
//	+----------------------+--------------------------------+
//	| body length (uint32) | CBOR(raft.Message), body bytes |
//	+----------------------+--------------------------------+
//	  4 bytes, big-endian     1 .. MaxFrameBytes
//
// The length comes first so that a reader knows how much to read before it
// decodes, and can refuse a length over the limit before allocating for it.
// TCP (and TLS) already detect corruption in flight, so unlike the WAL there
// is no checksum; a frame that does not decode ends the connection.

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/fxamacker/cbor/v2"

	"github.com/etcdlab/etcdlab/core/raft"
)

// frameHeaderBytes is the size of the length prefix.
const frameHeaderBytes = 4

// frameDecMode decodes frame bodies. Array and map sizes are bounded by the
// frame itself (every element takes at least one byte), and the decoder
// checks that a body is well formed before it allocates.
var frameDecMode = func() cbor.DecMode {
	dm, err := cbor.DecOptions{
		MaxArrayElements: MaxFrameBytes,
		MaxMapPairs:      MaxFrameBytes,
	}.DecMode()
	if err != nil {
		panic("transport.frameDecMode: " + err.Error())
	}
	return dm
}()

// encodeFrame returns m as one frame, header included. A body longer than
// maxBytes is refused with a *FrameTooLargeError.
func encodeFrame(m raft.Message, maxBytes int) ([]byte, error) {
	var buf bytes.Buffer
	buf.Write(make([]byte, frameHeaderBytes))
	if err := cbor.NewEncoder(&buf).Encode(m); err != nil {
		return nil, fmt.Errorf("transport: encode %s to %x: %w", m.Type, uint64(m.To), err)
	}
	frame := buf.Bytes()
	body := len(frame) - frameHeaderBytes
	if body > maxBytes {
		return nil, &FrameTooLargeError{Bytes: body, MaxBytes: maxBytes}
	}
	binary.BigEndian.PutUint32(frame[:frameHeaderBytes], uint32(body))
	return frame, nil
}

// frameReader reads frames off one stream, in order.
type frameReader struct {
	r        *bufio.Reader
	maxBytes int
	header   [frameHeaderBytes]byte
}

func newFrameReader(r *bufio.Reader, maxBytes int) *frameReader {
	return &frameReader{r: r, maxBytes: maxBytes}
}

// errEmptyFrame: a length prefix of zero, which no encoder writes.
var errEmptyFrame = errors.New("transport: empty frame")

// next returns the next message and the size of its frame. io.EOF means the
// stream ended cleanly between frames; io.ErrUnexpectedEOF that it ended
// inside one; a *FrameTooLargeError that the length is over the limit (the
// body is not read, so the stream cannot continue).
func (fr *frameReader) next() (raft.Message, int, error) {
	if _, err := io.ReadFull(fr.r, fr.header[:]); err != nil {
		return raft.Message{}, 0, err
	}
	n := binary.BigEndian.Uint32(fr.header[:])
	switch {
	case n == 0:
		return raft.Message{}, 0, errEmptyFrame
	case uint64(n) > uint64(fr.maxBytes):
		return raft.Message{}, 0, &FrameTooLargeError{Bytes: int(n), MaxBytes: fr.maxBytes}
	}
	// A fresh buffer per frame: the decoded message keeps slices of it
	// (entry data, snapshot chunks) and goes to another goroutine.
	body := make([]byte, n)
	if _, err := io.ReadFull(fr.r, body); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return raft.Message{}, 0, err
	}
	var m raft.Message
	if err := frameDecMode.Unmarshal(body, &m); err != nil {
		return raft.Message{}, 0, fmt.Errorf("transport: undecodable frame of %d bytes: %w", n, err)
	}
	return m, frameHeaderBytes + int(n), nil
}
