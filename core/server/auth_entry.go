package server

// How credentials travel in the log. etcd puts the user and the auth
// revision into every InternalRaftRequest's header; here an entry that
// needs them wraps the usual envelope (entry.go) in a tagged CBOR value:
//
//	plain:    CBOR(envelope{ID, Proposer, Put: ...})
//	with auth: CBOR tag 0xEA17 ( authEntry{ envelope{ID, Proposer, Put: ...},
//	                                       Info{alice, auth revision 7},
//	                                       Op: nil, or the AuthRequest } )
//
// A request is wrapped when auth is enabled at submit (the applier must
// know who asks) and when it is an auth request (the operation has no
// field in the envelope). With auth disabled the key-space writes stay
// plain: nothing changes on their path but one boolean test.
//
// The two cannot be confused: the envelope is a CBOR map (first byte
// 0xa0-0xbb), the wrapper a CBOR tag (first byte 0xd9).

import (
	"bytes"
	"fmt"

	"github.com/etcdlab/etcdlab/core/auth"
	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/fxamacker/cbor/v2"
)

// authEntryTag is the CBOR tag of a wrapped entry (an unassigned tag
// number, private to this log).
const authEntryTag = 0xEA17

// authEntryPrefix is how a wrapped entry's bytes begin: major type 6 (tag)
// with a two-byte tag number.
var authEntryPrefix = []byte{0xd9, authEntryTag >> 8, authEntryTag & 0xff}

// authEntry is an envelope with the requester and, for an auth request,
// the operation.
type authEntry struct {
	Env  envelope     `cbor:"1,keyasint"`
	Info *auth.Info   `cbor:"2,keyasint,omitempty"`
	Op   *AuthRequest `cbor:"3,keyasint,omitempty"`
}

// entryData is what the log carries for request r: env itself, or env
// wrapped with r's user (resolved from its token, which was checked at
// submit) and r's auth operation.
func (m *Member) entryData(r Request, env envelope) any {
	s := m.authStore()
	if r.Auth == nil && !s.Enabled() {
		return env
	}
	ae := authEntry{Env: env, Op: r.Auth}
	if r.Auth == nil || r.Auth.Authenticate == nil {
		ae.Info, _ = s.TokenInfo(r.Token, m.ticks)
	}
	return cbor.Tag{Number: authEntryTag, Content: ae}
}

// decodeEntry reads a normal entry: its envelope and, if it was wrapped,
// the wrapper (nil otherwise).
func decodeEntry(e raft.Entry) (envelope, *authEntry) {
	if !bytes.HasPrefix(e.Data, authEntryPrefix) {
		return decodeEnvelope(e), nil
	}
	var tag cbor.RawTag
	var ae authEntry
	err := cbor.Unmarshal(e.Data, &tag)
	if err == nil {
		err = cbor.Unmarshal(tag.Content, &ae)
	}
	if err != nil {
		panic(fmt.Sprintf("server.decodeEntry: entry %d: %v", e.Index, err))
	}
	return ae.Env, &ae
}
