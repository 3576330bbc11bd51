package freeport

import (
	"fmt"
	"net"
	"testing"
)

func TestPortsAreDistinctBindableAndBelowEphemeral(t *testing.T) {
	seen := map[int]bool{}
	for i := 0; i < 50; i++ {
		p := Port(t)
		if seen[p] {
			t.Fatalf("port %d handed out twice", p)
		}
		seen[p] = true
		if p < lowPort || p >= 32768 {
			t.Fatalf("port %d outside %d..32767", p, lowPort)
		}
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err != nil {
			t.Fatalf("port %d cannot be bound: %v", p, err)
		}
		l.Close()
	}
}

func TestPortSkipsPortsInUse(t *testing.T) {
	mu.Lock()
	next := lowPort + (offset+1)%portSpan
	mu.Unlock()
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", next))
	if err != nil {
		t.Skipf("port %d busy already: %v", next, err)
	}
	defer l.Close()
	if p := Port(t); p == next {
		t.Fatalf("got port %d, which is held by a listener", p)
	}
}
