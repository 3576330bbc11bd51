package ctl

// The report of `etcdlab bench`: latencies of many requests summed up the
// way etcd's benchmark tool prints them — a summary (total time, fastest,
// slowest, mean, standard deviation, requests per second), a histogram of
// ten equal-width buckets between fastest and slowest, and the percentile
// distribution — and as JSON for scripts that compare runs.
//
//	Response time histogram:
//	  0.0004 [1]     |
//	  0.0012 [212]   |∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎
//	  0.0020 [37]    |∎∎∎∎∎∎∎

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
)

// histogramBuckets and histogramBarWidth shape the histogram.
const (
	histogramBuckets  = 10
	histogramBarWidth = 40
)

// reportPercentiles are the percentiles the text report lists.
var reportPercentiles = []float64{10, 25, 50, 75, 90, 95, 99, 99.9}

// Latencies collects one benchmark's request latencies and errors.
type Latencies struct {
	Op        string
	durations []time.Duration
	errors    map[string]int
}

// Add records one request: its latency if it succeeded, its error if not.
func (l *Latencies) Add(d time.Duration, err error) {
	if err != nil {
		if l.errors == nil {
			l.errors = map[string]int{}
		}
		l.errors[err.Error()]++
		return
	}
	l.durations = append(l.durations, d)
}

// BenchSummary is the JSON report (--json). Latencies are in milliseconds.
type BenchSummary struct {
	Op                string  `json:"op"`
	Requests          int     `json:"requests"`
	Errors            int     `json:"errors"`
	TotalSeconds      float64 `json:"totalSeconds"`
	RequestsPerSecond float64 `json:"requestsPerSecond"`
	MinMillis         float64 `json:"minMillis"`
	MeanMillis        float64 `json:"meanMillis"`
	StddevMillis      float64 `json:"stddevMillis"`
	P50Millis         float64 `json:"p50Millis"`
	P90Millis         float64 `json:"p90Millis"`
	P99Millis         float64 `json:"p99Millis"`
	P999Millis        float64 `json:"p999Millis"`
	MaxMillis         float64 `json:"maxMillis"`
}

func millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// Summary sums the run up; elapsed is the wall time of the whole run.
func (l *Latencies) Summary(elapsed time.Duration) BenchSummary {
	s := BenchSummary{Op: l.Op, Requests: len(l.durations), TotalSeconds: elapsed.Seconds()}
	for _, n := range l.errors {
		s.Errors += n
	}
	if len(l.durations) == 0 {
		return s
	}
	sorted := slices.Clone(l.durations)
	slices.Sort(sorted)
	var sum float64
	for _, d := range sorted {
		sum += millis(d)
	}
	s.MeanMillis = sum / float64(len(sorted))
	var squares float64
	for _, d := range sorted {
		squares += (millis(d) - s.MeanMillis) * (millis(d) - s.MeanMillis)
	}
	s.StddevMillis = math.Sqrt(squares / float64(len(sorted)))
	s.MinMillis, s.MaxMillis = millis(sorted[0]), millis(sorted[len(sorted)-1])
	s.P50Millis = millis(percentile(sorted, 50))
	s.P90Millis = millis(percentile(sorted, 90))
	s.P99Millis = millis(percentile(sorted, 99))
	s.P999Millis = millis(percentile(sorted, 99.9))
	if elapsed > 0 {
		s.RequestsPerSecond = float64(len(sorted)) / elapsed.Seconds()
	}
	return s
}

// percentile is the nearest-rank percentile of sorted latencies: the
// smallest latency at least p% of requests did not exceed.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// WriteJSON writes the summary as one JSON line.
func (l *Latencies) WriteJSON(w io.Writer, elapsed time.Duration) error {
	b, err := json.Marshal(l.Summary(elapsed))
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(w, string(b))
	return err
}

// WriteText writes the summary, the histogram, the distribution and the
// errors seen, in seconds like etcd's benchmark.
func (l *Latencies) WriteText(w io.Writer, elapsed time.Duration) {
	s := l.Summary(elapsed)
	fmt.Fprintf(w, "\nSummary (%s):\n", s.Op)
	fmt.Fprintf(w, "  Total:\t%.4f secs.\n", s.TotalSeconds)
	fmt.Fprintf(w, "  Slowest:\t%.4f secs.\n", s.MaxMillis/1000)
	fmt.Fprintf(w, "  Fastest:\t%.4f secs.\n", s.MinMillis/1000)
	fmt.Fprintf(w, "  Average:\t%.4f secs.\n", s.MeanMillis/1000)
	fmt.Fprintf(w, "  Stddev:\t%.4f secs.\n", s.StddevMillis/1000)
	fmt.Fprintf(w, "  Requests/sec:\t%.4f\n", s.RequestsPerSecond)
	fmt.Fprintf(w, "  p50/p90/p99/max:\t%.3f / %.3f / %.3f / %.3f ms\n", s.P50Millis, s.P90Millis, s.P99Millis, s.MaxMillis)
	if len(l.durations) > 0 {
		sorted := slices.Clone(l.durations)
		slices.Sort(sorted)
		writeHistogram(w, sorted)
		fmt.Fprintf(w, "\nLatency distribution:\n")
		for _, p := range reportPercentiles {
			fmt.Fprintf(w, "  %v%% in %.4f secs.\n", p, percentile(sorted, p).Seconds())
		}
	}
	l.writeErrors(w)
}

// writeHistogram: bucket i holds latencies up to fastest + (i+1)·width.
func writeHistogram(w io.Writer, sorted []time.Duration) {
	fastest, slowest := sorted[0], sorted[len(sorted)-1]
	width := (slowest - fastest) / histogramBuckets
	counts := make([]int, histogramBuckets+1)
	marks := make([]time.Duration, histogramBuckets+1)
	for i := range marks {
		marks[i] = fastest + time.Duration(i)*width
	}
	marks[histogramBuckets] = slowest
	b := 0
	for _, d := range sorted {
		for b < histogramBuckets && d > marks[b] {
			b++
		}
		counts[b]++
	}
	most := slices.Max(counts)
	fmt.Fprintf(w, "\nResponse time histogram:\n")
	for i, n := range counts {
		bar := 0
		if most > 0 {
			bar = n * histogramBarWidth / most
		}
		fmt.Fprintf(w, "  %4.4f [%d]\t|%s\n", marks[i].Seconds(), n, strings.Repeat("∎", bar))
	}
}

func (l *Latencies) writeErrors(w io.Writer) {
	if len(l.errors) == 0 {
		return
	}
	keys := make([]string, 0, len(l.errors))
	for k := range l.errors {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	fmt.Fprintf(w, "\nErrors:\n")
	for _, k := range keys {
		fmt.Fprintf(w, "  [%d]\t%s\n", l.errors[k], k)
	}
}
