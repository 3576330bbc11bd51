package bolt

// The daemon and the simulator must agree on Hash for the same contents:
// members compare hashes (etcd: the maintenance HashKV check), and a lesson
// compares a simulated member with a real one. The same random history is
// applied to a Memory and to a bbolt file, and their hashes compared after
// every commit, with and without an ignore function, and across defrags.

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/rng"
)

func TestHashEqualsMemory(t *testing.T) {
	seed := uint64(7)
	if s := os.Getenv("ETCDLAB_BOLT_HASH_SEED"); s != "" {
		var err error
		seed, err = strconv.ParseUint(s, 10, 64)
		must(t, err)
	}
	r := rng.New(seed)
	mem, disk := backend.NewMemory(), openTemp(t)
	odd := func(bucket string, key []byte) bool { return bucket == "kv" && key[len(key)-1]%2 == 1 }
	for op := 0; op < 200; op++ {
		ops := randomHistoryStep(r)
		for _, b := range []backend.Backend{mem, disk} {
			w := b.BeginWrite()
			for _, o := range ops {
				o(t, w)
			}
			must(t, w.Commit())
		}
		if op%50 == 49 {
			must(t, mem.Defrag())
			must(t, disk.Defrag())
		}
		if mem.Hash(nil) != disk.Hash(nil) || mem.Hash(odd) != disk.Hash(odd) {
			t.Fatalf("seed %d op %d: memory hash %08x/%08x, bolt %08x/%08x (replay: ETCDLAB_BOLT_HASH_SEED=%d go test -run TestHashEqualsMemory)",
				seed, op, mem.Hash(nil), mem.Hash(odd), disk.Hash(nil), disk.Hash(odd), seed)
		}
	}
	t.Logf("seed %d: hash %08x after 200 commits; memory %d bytes, bolt %d bytes", seed, disk.Hash(nil), mem.Size(), disk.Size())
}

// randomHistoryStep draws one transaction's writes over three buckets.
func randomHistoryStep(r *rng.Source) []func(t *testing.T, w backend.WriteTx) {
	var ops []func(t *testing.T, w backend.WriteTx)
	for i := r.Intn(30); i >= 0; i-- {
		bucket := []string{"kv", "lease", "meta"}[r.Intn(3)]
		k := []byte(fmt.Sprintf("%s-%03d", bucket, r.Intn(500)))
		v := bytes.Repeat([]byte{byte(r.Intn(256))}, r.Intn(200))
		del := r.Chance(0.3)
		ops = append(ops, func(t *testing.T, w backend.WriteTx) {
			must(t, w.CreateBucket(bucket))
			if del {
				must(t, w.Delete(bucket, k))
			} else {
				must(t, w.Put(bucket, k, v))
			}
		})
	}
	return ops
}
