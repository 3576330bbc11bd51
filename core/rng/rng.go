// Package rng is the core's only source of randomness: a small seeded
// generator (SplitMix64, Steele, Lea and Flood, "Fast splittable pseudorandom
// number generators", OOPSLA 2014) whose output is fixed by its seed on every
// machine, every Go version and in the browser.
//
// The core never reads global randomness (DESIGN.md, determinism contract); a
// *Source is handed in through config, and Split derives an independent
// stream, so that adding a node or a fault does not shift every other draw.
package rng

// Source is a deterministic pseudorandom generator. The zero value is usable
// and equals New(0).
type Source struct {
	state uint64
}

// New returns a generator seeded with seed.
func New(seed uint64) *Source { return &Source{state: seed} }

// Uint64 returns the next 64 random bits.
func (s *Source) Uint64() uint64 {
	s.state += 0x9e3779b97f4a7c15
	z := s.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Intn returns a number in [0, n). It panics if n <= 0.
func (s *Source) Intn(n int) int {
	if n <= 0 {
		panic("rng.Intn: n must be positive")
	}
	// Lemire's multiply-shift rejection method for an unbiased draw.
	bound := uint64(n)
	threshold := -bound % bound
	for {
		hi, lo := mul64(s.Uint64(), bound)
		if lo >= threshold {
			return int(hi)
		}
	}
}

// Float64 returns a number in [0, 1).
func (s *Source) Float64() float64 {
	return float64(s.Uint64()>>11) / (1 << 53)
}

// Chance reports true with probability p (0 <= p <= 1).
func (s *Source) Chance(p float64) bool {
	if p <= 0 {
		return false
	}
	return s.Float64() < p
}

// Split returns an independent generator derived from this one.
func (s *Source) Split() *Source { return New(s.Uint64()) }

// mul64 returns the 128-bit product of a and b as (hi, lo).
func mul64(a, b uint64) (hi, lo uint64) {
	const mask32 = 1<<32 - 1
	a0, a1 := a&mask32, a>>32
	b0, b1 := b&mask32, b>>32
	w0 := a0 * b0
	t := a1*b0 + w0>>32
	w1 := t&mask32 + a0*b1
	hi = a1*b1 + t>>32 + w1>>32
	lo = a * b
	return
}
