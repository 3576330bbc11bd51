package etcdimport

// Which program wrote a backend. etcd and etcdlab share bucket names and
// the keys of bucket "key", so the names alone do not tell; the values do.
// The first change in "key" is decisive: etcd's values are protobuf
// mvccpb.KeyValue, whose first byte is 0x0a (field 1, the key, length
// delimited), etcdlab's are CBOR maps (major type 5: 0xa0 to 0xbf). With
// no change at all, bucket "cluster" decides: etcd keeps "clusterVersion"
// there, etcdlab "clusterID".

import (
	"fmt"
	"slices"
	"strings"

	"go.etcd.io/etcd/api/v3/mvccpb"

	"github.com/etcdlab/etcdlab/core/backend"
)

// Buckets and keys of etcd's backend (etcd: server/storage/schema/bucket.go;
// v3.4: mvcc/kvstore.go, lease/lessor.go, auth/store.go, etcdserver/api/
// membership/store.go).
const (
	keyBucket       = "key"
	metaBucket      = "meta"
	leaseBucket     = "lease"
	clusterBucket   = "cluster"
	authBucket      = "auth"
	authUsersBucket = "authUsers"
	authRolesBucket = "authRoles"
)

var (
	finishedCompactKey  = []byte("finishedCompactRev")
	scheduledCompactKey = []byte("scheduledCompactRev")
	termKey             = []byte("term")           // since v3.5
	confStateKey        = []byte("confState")      // since v3.5
	storageVersionKey   = []byte("storageVersion") // since v3.6
	clusterVersionKey   = []byte("clusterVersion")
	etcdlabClusterIDKey = []byte("clusterID") // core/server membership.go
	authEnabledKey      = []byte("authEnabled")
)

// Kind is the program that wrote a backend.
type Kind int

const (
	Unknown Kind = iota
	Etcdlab
	Etcd
)

// Layout is what Detect found.
type Layout struct {
	Kind Kind
	// Schema is etcd's storage schema: "3.4" (v3.4 or older), "3.5", or
	// meta storageVersion (v3.6 and later). Empty for etcdlab.
	Schema string
	// ClusterVersion is etcd's bucket "cluster" clusterVersion ("3.4.0"),
	// empty if absent.
	ClusterVersion string
	// Buckets lists the file's buckets, in order.
	Buckets []string
}

func (l Layout) String() string {
	switch l.Kind {
	case Etcdlab:
		return "etcdlab backend"
	case Etcd:
		s := "etcd v" + l.Schema + " backend"
		if l.ClusterVersion != "" {
			s += " (cluster version " + l.ClusterVersion + ")"
		}
		return s
	}
	return "unknown backend (buckets: " + strings.Join(l.Buckets, ", ") + ")"
}

// Detect tells which program wrote the backend tx reads. A file that is
// neither gives Kind Unknown and an error naming what was found.
func Detect(tx backend.ReadTx) (Layout, error) {
	l := Layout{Buckets: tx.Buckets()}
	if !slices.Contains(l.Buckets, keyBucket) || !slices.Contains(l.Buckets, metaBucket) {
		return l, fmt.Errorf("neither an etcd nor an etcdlab backend: it has no %q and %q buckets (found: %s)",
			keyBucket, metaBucket, bucketList(l.Buckets))
	}
	l.Kind = kindOfKeySpace(tx)
	if l.Kind == Unknown {
		l.Kind = kindOfCluster(tx, l.Buckets)
	}
	if l.Kind == Unknown {
		return l, fmt.Errorf("neither an etcd nor an etcdlab backend: the values of bucket %q are neither protobuf nor CBOR and bucket %q has neither %q nor %q (buckets: %s)",
			keyBucket, clusterBucket, clusterVersionKey, etcdlabClusterIDKey, bucketList(l.Buckets))
	}
	if l.Kind == Etcd {
		l.Schema = etcdSchema(tx)
		if slices.Contains(l.Buckets, clusterBucket) {
			l.ClusterVersion = string(tx.Get(clusterBucket, clusterVersionKey))
		}
	}
	return l, nil
}

// kindOfKeySpace looks at the first change of bucket "key".
func kindOfKeySpace(tx backend.ReadTx) Kind {
	k, v := tx.Seek(keyBucket, []byte{})
	if k == nil || len(v) == 0 {
		return Unknown
	}
	if v[0]>>5 == 5 { // CBOR major type 5, a map
		return Etcdlab
	}
	var kv mvccpb.KeyValue
	if v[0] == 0x0a && kv.Unmarshal(v) == nil && len(kv.Key) > 0 {
		return Etcd
	}
	return Unknown
}

// kindOfCluster looks at bucket "cluster", for an empty key space.
func kindOfCluster(tx backend.ReadTx, buckets []string) Kind {
	if !slices.Contains(buckets, clusterBucket) {
		return Unknown
	}
	switch {
	case tx.Get(clusterBucket, clusterVersionKey) != nil:
		return Etcd
	case len(tx.Get(clusterBucket, etcdlabClusterIDKey)) == 8:
		return Etcdlab
	}
	return Unknown
}

// etcdSchema names etcd's storage schema as etcd's migration code detects
// it (etcd: schema.UnsafeDetectSchemaVersion): the stored version since
// v3.6, term and confState since v3.5, neither before.
func etcdSchema(tx backend.ReadTx) string {
	if v := tx.Get(metaBucket, storageVersionKey); len(v) > 0 {
		return string(v)
	}
	if tx.Get(metaBucket, termKey) != nil || tx.Get(metaBucket, confStateKey) != nil {
		return "3.5"
	}
	return "3.4"
}

func bucketList(buckets []string) string {
	if len(buckets) == 0 {
		return "no buckets"
	}
	return strings.Join(buckets, ", ")
}
