package bolt

// Unlike backend.Memory, the bbolt backend serves readers on many goroutines
// while one goroutine writes (the daemon's range requests against its apply
// loop). Each commit here rewrites every key with the same generation
// number, so a reader that ever sees two generations at once has seen a torn
// commit. Run with -race to check the locking too.

import (
	"fmt"
	"sync"
	"testing"
)

func TestReadersNeverSeeATornCommit(t *testing.T) {
	b := openTemp(t)
	const keys, commits, readers = 50, 200, 4
	writeGeneration(t, b, 0, keys)
	var wg sync.WaitGroup
	errs := make(chan error, readers)
	done := make(chan struct{})
	for i := 0; i < readers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				if err := readOneGeneration(b, keys); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for g := 1; g <= commits; g++ {
		writeGeneration(t, b, g, keys)
		if g%50 == 0 {
			must(t, b.Defrag())
		}
	}
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func writeGeneration(t *testing.T, b *Backend, g, keys int) {
	t.Helper()
	w := begin(t, b, "kv")
	for i := 0; i < keys; i++ {
		must(t, w.Put("kv", key(i), []byte(fmt.Sprintf("generation %d", g))))
	}
	must(t, w.Commit())
}

func readOneGeneration(b *Backend, keys int) error {
	r := b.BeginRead()
	defer r.Rollback()
	ks, vs := r.Range("kv", nil, []byte{}, 0)
	if len(ks) != keys {
		return fmt.Errorf("a reader saw %d keys, want %d", len(ks), keys)
	}
	for i := range vs {
		if string(vs[i]) != string(vs[0]) {
			return fmt.Errorf("a reader saw %q next to %q", vs[i], vs[0])
		}
	}
	return nil
}
