package backend

// The freelist: pages of the file that hold nothing live. A commit never
// overwrites a page that the previous state uses (copy-on-write); it frees
// the replaced pages instead. Those pages are "pending" until no open read
// transaction can still be reading them, then "free" and reusable by later
// commits (bbolt: freelist.pending, freelist.release, DB.freePages). The file
// never gives pages back to the operating system: that takes a Defrag.
//
// Interface:
//
//	allocate(n)           take a run of n contiguous free pages (first fit)
//	freeLater(txid, ids)  pages freed by commit txid
//	release(minReader)    pending pages no open reader can still see -> free

import "sort"

type freelist struct {
	free    []pgid            // sorted ascending, reusable now
	pending map[uint64][]pgid // commit txid -> pages that commit freed
}

func newFreelist() freelist {
	return freelist{pending: map[uint64][]pgid{}}
}

// count is the number of ids the freelist page must record: bbolt writes
// free and pending ids alike (pending ones are free after a reopen).
func (f *freelist) count() int {
	n := len(f.free)
	for _, ids := range f.pending {
		n += len(ids)
	}
	return n
}

// allocate takes the first run of n contiguous free pages and returns its
// first id, or false if there is none (the file must grow).
func (f *freelist) allocate(n int) (pgid, bool) {
	runStart := 0
	for i := range f.free {
		if i > 0 && f.free[i] != f.free[i-1]+1 {
			runStart = i
		}
		if i-runStart+1 == n {
			first := f.free[runStart]
			f.free = append(f.free[:runStart], f.free[i+1:]...)
			return first, true
		}
	}
	return 0, false
}

// freeLater records ids as freed by commit txid.
func (f *freelist) freeLater(txid uint64, ids []pgid) {
	if len(ids) > 0 {
		f.pending[txid] = append(f.pending[txid], ids...)
	}
}

// release moves to the free list the pages of every commit older than
// minReader, the oldest open read transaction (bbolt releases txids below the
// oldest reader); releaseAll is used when no reader is open. It returns the
// released ids in order.
func (f *freelist) release(minReader uint64, releaseAll bool) []pgid {
	var txids []uint64
	for txid := range f.pending {
		if releaseAll || txid < minReader {
			txids = append(txids, txid)
		}
	}
	sort.Slice(txids, func(i, j int) bool { return txids[i] < txids[j] })
	var out []pgid
	for _, txid := range txids {
		out = append(out, f.pending[txid]...)
		delete(f.pending, txid)
	}
	if len(out) == 0 {
		return nil
	}
	f.free = append(f.free, out...)
	sort.Slice(f.free, func(i, j int) bool { return f.free[i] < f.free[j] })
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
