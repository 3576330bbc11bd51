package transport

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/etcdlab/etcdlab/core/raft"
)

func readAll(t *testing.T, data []byte, maxBytes int) ([]raft.Message, error) {
	t.Helper()
	fr := newFrameReader(bufio.NewReader(bytes.NewReader(data)), maxBytes)
	var ms []raft.Message
	for {
		m, _, err := fr.next()
		if err != nil {
			return ms, err
		}
		ms = append(ms, m)
	}
}

func TestFrameRoundTrip(t *testing.T) {
	in := []raft.Message{
		{Type: raft.MsgHeartbeat, From: 1, To: 2, Term: 3, Commit: 9},
		app(1, 2, 41, 100),
		{Type: raft.MsgSnap, From: 1, To: 2, Term: 3, Index: 50,
			SnapMeta:   &raft.SnapshotMeta{Index: 50, Term: 3, Conf: raft.ConfState{Voters: []raft.NodeID{1, 2}}},
			SnapOffset: 4096, SnapTotal: 9000, SnapChunk: []byte("chunk")},
		{Type: raft.MsgAppResp, From: 2, To: 1, Term: 3, Index: 7, Reject: true, RejectHint: 5, HintTerm: 2},
	}
	var stream bytes.Buffer
	for _, m := range in {
		f, err := encodeFrame(m, MaxFrameBytes)
		require.NoError(t, err)
		require.EqualValues(t, len(f)-frameHeaderBytes, binary.BigEndian.Uint32(f))
		stream.Write(f)
	}
	out, err := readAll(t, stream.Bytes(), MaxFrameBytes)
	require.ErrorIs(t, err, io.EOF)
	require.Equal(t, in, out)
}

func TestFrameReaderRejects(t *testing.T) {
	good, err := encodeFrame(app(1, 2, 1, 10), MaxFrameBytes)
	require.NoError(t, err)

	// A length over the limit is refused before the body is read.
	_, err = readAll(t, []byte{0xff, 0xff, 0xff, 0xff}, MaxFrameBytes)
	var tooLarge *FrameTooLargeError
	require.True(t, errors.As(err, &tooLarge), "%v", err)
	require.Equal(t, 1<<32-1, tooLarge.Bytes)
	_, err = readAll(t, good, len(good)-frameHeaderBytes-1)
	require.ErrorIs(t, err, ErrFrameTooLarge)

	// A stream cut inside a frame, header or body.
	for _, cut := range []int{2, frameHeaderBytes, len(good) - 1} {
		ms, err := readAll(t, good[:cut], MaxFrameBytes)
		require.ErrorIs(t, err, io.ErrUnexpectedEOF, "cut at %d", cut)
		require.Empty(t, ms)
	}
	_, err = readAll(t, []byte{0, 0, 0, 0}, MaxFrameBytes)
	require.ErrorIs(t, err, errEmptyFrame)
	_, err = readAll(t, []byte{0, 0, 0, 2, 0xff, 0xff}, MaxFrameBytes)
	require.ErrorContains(t, err, "undecodable frame")

	_, err = encodeFrame(app(1, 2, 1, 100), 50)
	require.ErrorIs(t, err, ErrFrameTooLarge)
}

// The frame decoder faces the network: whatever bytes arrive, it returns
// messages or an error and never panics; a message it accepts survives a
// second round trip unchanged (compared encoded: an empty list and a
// missing one are the same message).
func FuzzFrameReader(f *testing.F) {
	for _, m := range []raft.Message{app(1, 2, 1, 10), {Type: raft.MsgVote, From: 3, To: 1, Term: 9, Context: raft.CampaignTransfer}} {
		frame, err := encodeFrame(m, MaxFrameBytes)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(frame)
		f.Add(append(append([]byte{}, frame...), frame[:5]...))
	}
	f.Add([]byte{0, 0, 0, 1, 0xa0})
	f.Add([]byte{0, 0, 0, 3, 0x9b, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		fr := newFrameReader(bufio.NewReader(bytes.NewReader(data)), 1<<16)
		for {
			m, n, err := fr.next()
			if err != nil {
				return
			}
			if n <= frameHeaderBytes || n > len(data) {
				t.Fatalf("frame size %d out of range for %d input bytes", n, len(data))
			}
			again, err := encodeFrame(m, MaxFrameBytes)
			if err != nil {
				t.Fatalf("re-encode %+v: %v", m, err)
			}
			back, _, err := newFrameReader(bufio.NewReader(bytes.NewReader(again)), MaxFrameBytes).next()
			if err != nil {
				t.Fatalf("decode of re-encoded %+v: %v", m, err)
			}
			third, err := encodeFrame(back, MaxFrameBytes)
			if err != nil || !bytes.Equal(again, third) {
				t.Fatalf("round trip changed %+v into %+v (%v)", m, back, err)
			}
		}
	})
}
