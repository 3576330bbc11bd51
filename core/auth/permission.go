package auth

// Permission checks (etcd: server/auth/range_perm_cache.go, and isOpPermitted in
// store.go). A user's permissions are the union of its roles' permissions,
// merged into sorted, disjoint key intervals, one set for reading and one
// for writing; a request is allowed if one merged interval holds all of
// its keys:
//
//	role a: READ [a, c)   role b: READ [b, f)   role c: READ k (= [k, k\x00))
//	read set:  [a, f) [k, k\x00)
//	get [c, e)  -> inside [a, f): allowed
//	get [e, m)  -> [a, f) ends at f: denied
//
// The merged sets are computed on first use and dropped by any change to
// the store (etcd rebuilds its interval trees the same way).

import (
	"bytes"
	"slices"
	"sort"
)

// Info names who sends a request: the user its token belongs to and the
// auth revision at which the token was checked (etcd: AuthInfo). A nil
// *Info is a request without a token.
type Info struct {
	Username string `cbor:"1,keyasint,omitempty"`
	Revision uint64 `cbor:"2,keyasint,omitempty"`
}

// IsRangePermitted checks that the user may read [key, rangeEnd) (etcd's
// range end rules: empty is the key alone, "\x00" is every key from key on).
func (s *Store) IsRangePermitted(info *Info, key, rangeEnd []byte) error {
	return s.isOpPermitted(info, key, rangeEnd, Read)
}

// IsPutPermitted checks that the user may write key.
func (s *Store) IsPutPermitted(info *Info, key []byte) error {
	return s.isOpPermitted(info, key, nil, Write)
}

// IsDeleteRangePermitted checks that the user may delete [key, rangeEnd).
func (s *Store) IsDeleteRangePermitted(info *Info, key, rangeEnd []byte) error {
	return s.isOpPermitted(info, key, rangeEnd, Write)
}

// IsAdminPermitted checks that the user holds role root. It does not look
// at the revision: the check runs against the roles the user holds now.
func (s *Store) IsAdminPermitted(info *Info) error {
	switch {
	case !s.enabled:
		return nil
	case info == nil || info.Username == "":
		return ErrUserEmpty
	}
	u := s.users[info.Username]
	switch {
	case u == nil:
		return ErrUserNotFound
	case !u.hasRole(rootName):
		return ErrPermissionDenied
	}
	return nil
}

// isOpPermitted: auth off allows everything; otherwise a user, a token
// checked at the current revision, and either role root or a merged
// interval holding the range.
func (s *Store) isOpPermitted(info *Info, key, rangeEnd []byte, want PermType) error {
	switch {
	case !s.enabled:
		return nil
	case info == nil || info.Username == "":
		return ErrUserEmpty
	case info.Revision < s.revision:
		return ErrAuthOldRevision
	}
	u := s.users[info.Username]
	if u == nil {
		return ErrPermissionDenied
	}
	if u.hasRole(rootName) {
		return nil
	}
	set := s.permsOf(u).read
	if want == Write {
		set = s.permsOf(u).write
	}
	if set.covers(intervalOf(key, rangeEnd)) {
		return nil
	}
	return ErrPermissionDenied
}

// userPerms is one user's merged permissions.
type userPerms struct {
	read, write intervalSet
}

// permsOf merges the permissions of u's roles, or returns them cached.
func (s *Store) permsOf(u *User) *userPerms {
	if p := s.perms[u.Name]; p != nil {
		return p
	}
	var read, write []interval
	for _, name := range u.Roles {
		r := s.roles[name]
		if r == nil {
			continue // role root granted before it was created
		}
		for _, p := range r.Perms {
			iv := intervalOf(p.Key, p.RangeEnd)
			if p.Type.allows(Read) {
				read = append(read, iv)
			}
			if p.Type.allows(Write) {
				write = append(write, iv)
			}
		}
	}
	p := &userPerms{read: mergeIntervals(read), write: mergeIntervals(write)}
	s.perms[u.Name] = p
	return p
}

// interval is the key range [begin, end); a nil end reaches past every key.
type interval struct {
	begin, end []byte
}

// intervalOf turns etcd's (key, range end) into an interval: an empty end
// is the key alone, [key, key+"\x00"); "\x00" is open-ended. An empty
// range (end at or below key) is taken as the key alone.
func intervalOf(key, rangeEnd []byte) interval {
	switch {
	case len(rangeEnd) == 0 || (!isOpenEnded(rangeEnd) && bytes.Compare(rangeEnd, key) <= 0):
		return interval{begin: key, end: append(bytes.Clone(key), 0)}
	case isOpenEnded(rangeEnd):
		return interval{begin: key}
	}
	return interval{begin: key, end: rangeEnd}
}

// isOpenEnded: a range end of "\x00" means every key from the start on.
func isOpenEnded(rangeEnd []byte) bool { return len(rangeEnd) == 1 && rangeEnd[0] == 0 }

// validRange is etcd's isValidPermissionRange: a key, and a range end that
// is empty, "\x00", or after the key.
func validRange(key, rangeEnd []byte) bool {
	return len(key) > 0 && (len(rangeEnd) == 0 || isOpenEnded(rangeEnd) || bytes.Compare(key, rangeEnd) < 0)
}

// intervalSet is a sorted list of disjoint, non-touching intervals.
type intervalSet []interval

// mergeIntervals sorts ivs and joins those that overlap or touch.
func mergeIntervals(ivs []interval) intervalSet {
	slices.SortFunc(ivs, func(a, b interval) int { return bytes.Compare(a.begin, b.begin) })
	var out intervalSet
	for _, iv := range ivs {
		if n := len(out); n > 0 && endAtLeast(out[n-1].end, iv.begin) {
			if !endAtLeast(out[n-1].end, iv.end) {
				out[n-1].end = iv.end
			}
			continue
		}
		out = append(out, iv)
	}
	return out
}

// covers reports whether one interval of the set holds all of iv (iv is
// never empty: intervalOf makes end > begin).
func (set intervalSet) covers(iv interval) bool {
	// The last interval beginning at or before iv does: the set is
	// disjoint, so no other one can.
	i := sort.Search(len(set), func(i int) bool { return bytes.Compare(set[i].begin, iv.begin) > 0 }) - 1
	return i >= 0 && endAtLeast(set[i].end, iv.end)
}

// endAtLeast compares interval ends, nil being past every key: a >= b.
func endAtLeast(a, b []byte) bool {
	switch {
	case a == nil:
		return true
	case b == nil:
		return false
	}
	return bytes.Compare(a, b) >= 0
}
