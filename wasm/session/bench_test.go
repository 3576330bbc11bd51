package session

import (
	"testing"
	"time"
)

// BenchmarkFrameAtMaxSpeed measures the worst frame: a 9-node cluster
// playing at MaxSpeed without dilation, so every frame spends its whole
// event budget. A frame must stay well under 16ms in the browser (wasm runs
// a few times slower than native).
func BenchmarkFrameAtMaxSpeed(b *testing.B) {
	s := New("cluster 9 seed=1\nrun until leader\n")
	s.Next()
	if err := s.SetView(`{"dilate":false}`); err != nil {
		b.Fatal(err)
	}
	s.Play(MaxSpeed)
	b.ResetTimer()
	events := 0
	for i := 0; i < b.N; i++ {
		events += s.Advance(time.Second / 60)
	}
	b.ReportMetric(float64(events)/float64(b.N), "events/frame")
}

// BenchmarkScene measures building the scene of a 9-node cluster.
func BenchmarkScene(b *testing.B) {
	s := New("cluster 9 seed=1\nrun until leader\nput x 1\n")
	s.Next()
	s.Next()
	for i := 0; i < b.N; i++ {
		s.touch()
		s.Scene(1920, 1080)
	}
}
