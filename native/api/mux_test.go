package api

// The client mux on its own: which server gets a connection, that the
// bytes read to decide reach it, and that Close ends every goroutine even
// with a client that never speaks.

import (
	"errors"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A short HTTP/1 request is classified at its first byte that differs from
// the preface, without waiting for 24 bytes; the preface in pieces is HTTP/2.
func TestReadPrefaceOrNot(t *testing.T) {
	cases := []struct {
		name   string
		writes []string
		http2  bool
	}{
		{"short HTTP/1.0 GET", []string{"GET / HTTP/1.0\r\n\r\n"}, false},
		{"POST shares the P", []string{"P", "OST /v3/kv/put HTTP/1.1\r\n"}, false},
		{"preface in pieces", []string{"PRI * HTTP/2.0\r\n", "\r\nSM\r\n", "\r\n"}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			client, server := net.Pipe()
			defer client.Close()
			go func() {
				for _, w := range c.writes {
					client.Write([]byte(w))
				}
			}()
			server.SetDeadline(time.Now().Add(5 * time.Second))
			head, isHTTP2, err := readPrefaceOrNot(server)
			require.NoError(t, err)
			require.Equal(t, c.http2, isHTTP2)
			require.NotEmpty(t, head)
		})
	}
}

func TestClientMuxSplitsAndCloses(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	m := newClientMux(l, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))

	dialAndSend := func(msg string) net.Conn {
		c, err := net.Dial("tcp", l.Addr().String())
		require.NoError(t, err)
		_, err = c.Write([]byte(msg))
		require.NoError(t, err)
		return c
	}
	accepted := func(q *connQueue, want string) {
		t.Helper()
		c, err := q.Accept()
		require.NoError(t, err)
		defer c.Close()
		got := make([]byte, len(want))
		c.SetDeadline(time.Now().Add(5 * time.Second))
		_, err = io.ReadFull(c, got)
		require.NoError(t, err)
		require.Equal(t, want, string(got), "the peeked bytes are replayed")
	}
	h := dialAndSend("GET /version HTTP/1.1\r\nHost: x\r\n\r\n")
	defer h.Close()
	accepted(m.httpConns, "GET /version HTTP/1.1\r\nHost: x\r\n\r\n")
	g := dialAndSend(http2Preface + "frames")
	defer g.Close()
	accepted(m.grpcConns, http2Preface+"frames")

	silent, err := net.Dial("tcp", l.Addr().String())
	require.NoError(t, err)
	defer silent.Close()
	time.Sleep(50 * time.Millisecond) // let the mux accept it and start reading
	closed := make(chan struct{})
	go func() { m.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(time.Second):
		t.Fatal("Close waited for a client that never spoke")
	}
	_, err = m.grpcConns.Accept()
	require.True(t, errors.Is(err, net.ErrClosed), "%v", err)
	_, err = m.httpConns.Accept()
	require.True(t, errors.Is(err, net.ErrClosed), "%v", err)
	silent.SetDeadline(time.Now().Add(5 * time.Second))
	_, err = silent.Read(make([]byte, 1))
	require.Error(t, err, "the unclassified connection is closed")
}
