package api

// A member add's time is read once, on the member the client asked, and a
// forwarded call carries it to the leader, so that the ID (etcd's formula
// with the time) does not depend on which member proposes the change.

import (
	"context"
	"testing"
	"time"

	"google.golang.org/grpc/metadata"
)

func TestAddedAt(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	incoming := func(kv ...string) context.Context {
		return metadata.NewIncomingContext(context.Background(), metadata.Pairs(kv...))
	}
	for _, tc := range []struct {
		name string
		ctx  context.Context
		want int64
	}{
		{"asked directly", context.Background(), now.Unix()},
		{"forwarded with its time", incoming(forwardedKey, "a1", addedAtKey, "1700000000"), 1_700_000_000},
		{"a time without the forwarded mark is a client's, ignored", incoming(addedAtKey, "1700000000"), now.Unix()},
		{"forwarded with a bad time", incoming(forwardedKey, "a1", addedAtKey, "x"), now.Unix()},
		{"forwarded by an older member, without a time", incoming(forwardedKey, "a1"), now.Unix()},
	} {
		if got := addedAt(tc.ctx, now); got != tc.want {
			t.Errorf("%s: addedAt = %d, want %d", tc.name, got, tc.want)
		}
	}
}

// TestForwardedAddCarriesTheTime: the context MemberAdd forwards with
// holds the time in its outgoing metadata, next to the forwarded mark.
func TestForwardedAddCarriesTheTime(t *testing.T) {
	ctx := outgoingAddedAt(context.Background(), 1_700_000_123)
	md, _ := metadata.FromOutgoingContext(ctx)
	if got := md.Get(addedAtKey); len(got) != 1 || got[0] != "1700000123" {
		t.Fatalf("outgoing %s = %v, want [1700000123]", addedAtKey, got)
	}
	in := metadata.NewIncomingContext(context.Background(), metadata.Join(md, metadata.Pairs(forwardedKey, "a1")))
	if got := addedAt(in, time.Unix(1, 0)); got != 1_700_000_123 {
		t.Fatalf("the leader reads %d, want 1700000123", got)
	}
}
