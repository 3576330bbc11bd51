package server

// The membership: who is in the cluster, by ID, with the attributes etcd
// keeps for each member — name, peer URLs (where the other members reach
// it), client URLs, and whether it is a learner. Raft knows only the IDs;
// the attributes travel in the ConfChange's Context and are applied here
// from the same log entry, so every member holds the same list.
//
// IDs are etcd's, so that a cluster started with the same flags gets the
// same IDs as etcd would give it:
//
//	member ID  = first 8 bytes (big-endian) of
//	             sha1( sorted peer URLs joined + cluster token [+ unix seconds] )
//	cluster ID = first 8 bytes of sha1( sorted member IDs, 8 bytes each )
//
// (etcd: membership.NewMember computeMemberID, RaftCluster.genID; the time
// is added for members added at runtime so that re-adding the same URLs
// gives a new ID.) A removed ID is remembered and never comes back (etcd:
// "ID removed").
//
// A member's name and client URLs are its own to tell: it publishes them
// through the log once it has started (MemberAttributesRequest, etcd's
// publishV3), and every member applies them here. A member added at
// runtime lists neither until then — etcdctl shows it as "unstarted".
//
// Persisted in the backend, in the same commit as the entry that changed
// it: bucket "members" (ID -> CBOR(MemberInfo)), "members_removed" (ID) and
// "cluster" (the cluster ID).

import (
	"crypto/sha1"
	"encoding/binary"
	"slices"
	"strconv"
	"strings"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/fxamacker/cbor/v2"
)

const (
	membersBucket = "members"
	removedBucket = "members_removed"
	clusterBucket = "cluster"
)

var clusterIDKey = []byte("clusterID")

// MemberInfo is one member of the cluster (etcd: membership.Member).
type MemberInfo struct {
	ID         raft.NodeID `cbor:"1,keyasint"`
	Name       string      `cbor:"2,keyasint,omitempty"`
	PeerURLs   []string    `cbor:"3,keyasint,omitempty"`
	ClientURLs []string    `cbor:"4,keyasint,omitempty"`
	IsLearner  bool        `cbor:"5,keyasint,omitempty"`
}

// MemberID computes a member's ID as etcd does. addedAtUnixSeconds is 0
// for the members of the initial cluster and the time of the request for
// members added later.
func MemberID(peerURLs []string, clusterToken string, addedAtUnixSeconds int64) raft.NodeID {
	urls := slices.Clone(peerURLs)
	slices.Sort(urls)
	b := []byte(strings.Join(urls, "") + clusterToken)
	if addedAtUnixSeconds != 0 {
		b = strconv.AppendInt(b, addedAtUnixSeconds, 10)
	}
	sum := sha1.Sum(b)
	return raft.NodeID(binary.BigEndian.Uint64(sum[:8]))
}

// ClusterID computes the cluster's ID from its initial members, as etcd does.
func ClusterID(ids []raft.NodeID) uint64 {
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	b := make([]byte, 0, 8*len(sorted))
	for _, id := range sorted {
		b = binary.BigEndian.AppendUint64(b, uint64(id))
	}
	sum := sha1.Sum(b)
	return binary.BigEndian.Uint64(sum[:8])
}

// cluster is the membership as this member applied it.
type cluster struct {
	id      uint64
	members map[raft.NodeID]MemberInfo // looked up; listed through list(), sorted
	removed map[raft.NodeID]bool
}

// loadCluster reads the membership from the backend.
func loadCluster(tx backend.ReadTx) *cluster {
	c := &cluster{members: map[raft.NodeID]MemberInfo{}, removed: map[raft.NodeID]bool{}}
	if v := tx.Get(clusterBucket, clusterIDKey); len(v) == 8 {
		c.id = binary.BigEndian.Uint64(v)
	}
	tx.ForEach(membersBucket, func(k, v []byte) error {
		var m MemberInfo
		if err := cbor.Unmarshal(v, &m); err != nil {
			panic("server.loadCluster: corrupt member record: " + err.Error())
		}
		c.members[m.ID] = m
		return nil
	})
	tx.ForEach(removedBucket, func(k, v []byte) error {
		c.removed[raft.NodeID(binary.BigEndian.Uint64(k))] = true
		return nil
	})
	return c
}

// list returns the members sorted by ID.
func (c *cluster) list() []MemberInfo {
	out := make([]MemberInfo, 0, len(c.members))
	for _, m := range c.members {
		out = append(out, cloneMember(m))
	}
	slices.SortFunc(out, func(a, b MemberInfo) int { return cmpID(a.ID, b.ID) })
	return out
}

func (c *cluster) get(id raft.NodeID) (MemberInfo, bool) {
	m, ok := c.members[id]
	return cloneMember(m), ok
}

func (c *cluster) learners() int {
	n := 0
	for _, m := range c.members {
		if m.IsLearner {
			n++
		}
	}
	return n
}

// peerURLUsed reports whether another member than except uses one of urls.
func (c *cluster) peerURLUsed(urls []string, except raft.NodeID) bool {
	for id, m := range c.members {
		if id == except {
			continue
		}
		for _, u := range urls {
			if slices.Contains(m.PeerURLs, u) {
				return true
			}
		}
	}
	return false
}

// checkAdd: etcd's RaftCluster.ValidateConfigurationChange for an add, and
// mayAddMember's learner limit.
func (c *cluster) checkAdd(m MemberInfo) error {
	switch {
	case len(m.PeerURLs) == 0:
		return ErrBadPeerURLs
	case c.removed[m.ID]:
		return ErrIDRemoved
	case c.hasMember(m.ID):
		return ErrMemberIDExists
	case c.peerURLUsed(m.PeerURLs, raft.None):
		return ErrPeerURLExists
	case m.IsLearner && c.learners() >= core.MaxLearners:
		return ErrTooManyLearners
	}
	return nil
}

func (c *cluster) checkRemove(id raft.NodeID) error {
	switch {
	case c.removed[id]:
		return ErrIDRemoved
	case !c.hasMember(id):
		return ErrMemberNotFound
	}
	return nil
}

func (c *cluster) checkPromote(id raft.NodeID) error {
	if err := c.checkRemove(id); err != nil {
		return err
	}
	if !c.members[id].IsLearner {
		return ErrMemberNotLearner
	}
	return nil
}

func (c *cluster) checkUpdate(id raft.NodeID, urls []string) error {
	if err := c.checkRemove(id); err != nil {
		return err
	}
	if len(urls) == 0 {
		return ErrBadPeerURLs
	}
	if c.peerURLUsed(urls, id) {
		return ErrPeerURLExists
	}
	return nil
}

func (c *cluster) hasMember(id raft.NodeID) bool {
	_, ok := c.members[id]
	return ok
}

// Members returns the membership as this member applied it, sorted by ID.
func (m *Member) Members() []MemberInfo { return m.cluster.list() }

// applyMemberAttributes records the name and client URLs a member
// published about itself (etcd: RaftCluster.UpdateAttributes). A member
// removed before its publication applied stays removed.
func (m *Member) applyMemberAttributes(tx backend.WriteTx, a MemberAttributesRequest) Response {
	member, ok := m.cluster.get(a.ID)
	if !ok {
		return Response{Err: ErrMemberNotFound}
	}
	member.Name, member.ClientURLs = a.Name, slices.Clone(a.ClientURLs)
	m.cluster.save(tx, member)
	m.emit(Event{Kind: EvMemberUpdated, Peer: a.ID, Reason: "attributes published"})
	return m.membersResponse(member)
}

// setID records the cluster ID (from the bootstrap entries).
func (c *cluster) setID(tx backend.WriteTx, id uint64) {
	c.id = id
	mustWrite(tx.Put(clusterBucket, clusterIDKey, binary.BigEndian.AppendUint64(nil, id)))
}

// save writes member m (added, promoted or updated).
func (c *cluster) save(tx backend.WriteTx, m MemberInfo) {
	c.members[m.ID] = cloneMember(m)
	data, err := encoding.Marshal(m)
	if err != nil {
		panic("server.cluster.save: " + err.Error())
	}
	mustWrite(tx.Put(membersBucket, idKey(uint64(m.ID)), data))
}

// remove deletes member id and remembers its ID as removed.
func (c *cluster) remove(tx backend.WriteTx, id raft.NodeID) {
	delete(c.members, id)
	c.removed[id] = true
	mustWrite(tx.Delete(membersBucket, idKey(uint64(id))))
	mustWrite(tx.Put(removedBucket, idKey(uint64(id)), []byte{1}))
}

func cloneMember(m MemberInfo) MemberInfo {
	m.PeerURLs = slices.Clone(m.PeerURLs)
	m.ClientURLs = slices.Clone(m.ClientURLs)
	return m
}

func idKey(id uint64) []byte { return binary.BigEndian.AppendUint64(nil, id) }

func cmpID(a, b raft.NodeID) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func mustWrite(err error) {
	if err != nil {
		panic("server: backend write failed: " + err.Error())
	}
}
