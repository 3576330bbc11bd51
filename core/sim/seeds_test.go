package sim

import (
	"os"
	"strconv"
	"testing"
)

// SeedRange is the seeds a randomized test runs: 1..defaultN, or as many
// as ETCDLAB_SOAK_SEEDS says (make soak), or the one ETCDLAB_SEED names (to
// replay a failure). Shared by the randomized tests of package sim and
// sim_test (a _test.go file of package sim is visible to both).
func SeedRange(t testing.TB, defaultN uint64) (first, n uint64) {
	t.Helper()
	first, n = 1, defaultN
	if v := os.Getenv("ETCDLAB_SOAK_SEEDS"); v != "" {
		var err error
		if n, err = strconv.ParseUint(v, 10, 64); err != nil {
			t.Fatalf("ETCDLAB_SOAK_SEEDS=%q: %v", v, err)
		}
	}
	if v := os.Getenv("ETCDLAB_SEED"); v != "" {
		s, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("ETCDLAB_SEED=%q: %v", v, err)
		}
		first, n = s, 1
	}
	return first, n
}
