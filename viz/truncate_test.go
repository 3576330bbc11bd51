package viz

import (
	"strings"
	"testing"
)

// truncate gives what trimming one rune at a time gives, also for a value
// of hundreds of kilobytes (lesson 04 puts one).
func TestTruncateFitsAndIsLinear(t *testing.T) {
	slow := func(s string, width, size float64) string {
		if textWidth(s, size) <= width {
			return s
		}
		r := []rune(s)
		for len(r) > 1 && textWidth(string(r)+"…", size) > width {
			r = r[:len(r)-1]
		}
		return string(r) + "…"
	}
	for n := 0; n < 120; n += 7 {
		s := strings.Repeat("ab€", n)
		for _, width := range []float64{1, 20, 55.5, 100, 400} {
			if got, want := truncate(s, width, 11), slow(s, width, 11); got != want {
				t.Fatalf("truncate(%d runes, %v) = %q, want %q", len([]rune(s)), width, got, want)
			}
		}
	}
	// The quadratic version took minutes here (one frame of lesson 04).
	got := truncate(strings.Repeat("x", 200_000), 300, 12)
	if got != slow(strings.Repeat("x", 200), 300, 12) {
		t.Fatalf("truncate of 200,000 runes to 300 px gave %d bytes", len(got))
	}
}
