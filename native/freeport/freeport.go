// Package freeport hands tests TCP ports on 127.0.0.1 for the servers they
// start.
//
// Asking the kernel for port 0 and closing the listener is racy in a busy
// test run: the kernel gives out ports from the ephemeral range (Linux:
// 32768–60999), and before the server binds the port, any outgoing
// connection of the run (a client dialing, a peer connecting) may take it as
// its local port — "bind: address already in use". Port therefore picks
// ports below the ephemeral range, which outgoing connections never use,
// walks them from a per-process starting point (so test binaries running in
// parallel rarely meet), never hands out one port twice in a process, and
// checks that each one can be bound.
package freeport

import (
	"fmt"
	"net"
	"os"
	"sync"
	"testing"
)

const (
	lowPort  = 20000
	portSpan = 12000 // lowPort..lowPort+portSpan stays below 32768
)

var (
	mu     sync.Mutex
	offset = (os.Getpid() * 997) % portSpan
	given  = map[int]bool{}
)

// Port returns a port on 127.0.0.1 that is free now and was not returned
// before in this process.
func Port(t testing.TB) int {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	for tries := 0; tries < portSpan; tries++ {
		offset = (offset + 1) % portSpan
		p := lowPort + offset
		if given[p] {
			continue
		}
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err != nil {
			continue
		}
		l.Close()
		given[p] = true
		return p
	}
	t.Fatalf("freeport: no free port in %d..%d", lowPort, lowPort+portSpan)
	return 0
}
