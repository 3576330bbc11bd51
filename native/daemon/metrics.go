package daemon

// Prometheus metrics under etcd's names, so that a dashboard built for etcd
// reads an etcdlab member unchanged (etcd: server/etcdserver/metrics.go,
// server/storage/wal/metrics.go, server/storage/backend/metrics.go,
// server/etcdserver/api/rafthttp/metrics.go). Each member has a registry of
// its own, so that tests may run several members in one process.
//
// The loop must never wait for a scrape, so the metrics are gathered three
// ways, each as cheap as the figure allows:
//
//	at every Ready (events.go)     leader changes, failed proposals: counters
//	                               that a periodic reading would miss
//	on the write path (storage.go, WAL save and fsync / backend commit
//	  timedBackend below)          durations, into histograms
//	at scrape time                 everything that is a current value: read
//	                               from Live(), the transport's atomics, or
//	                               one short control call on the loop (sizes,
//	                               committed index, pending requests)
//
// Deviations: etcd_disk_wal_fsync_duration_seconds times the whole WAL save
// of a Ready that must sync (write + fsync), where etcd times the fsync
// alone; etcd_server_proposals_failed_total counts requests answered with
// an error, etcd counts proposals that failed to commit. There is no
// etcd_debugging_mvcc_keys_total: the key index has no cheap count.

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/server"
)

// metricsScrapeTimeout bounds the one control call a scrape makes; a loop
// busier than that gives the previous values.
const metricsScrapeTimeout = time.Second

// metrics holds the collectors the daemon updates itself; the rest are
// read at scrape time by scrapeCollector.
type metrics struct {
	registry      *prometheus.Registry
	leaderChanges prometheus.Counter
	failed        prometheus.Counter
	walFsync      prometheus.Histogram
	backendCommit prometheus.Histogram
	lastLead      raft.NodeID // loop goroutine only
}

func newMetrics(d *Daemon) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		leaderChanges: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "etcd_server_leader_changes_seen_total", Help: "The number of leader changes seen.",
		}),
		failed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "etcd_server_proposals_failed_total", Help: "The total number of failed proposals seen.",
		}),
		// etcd's buckets: 2^n milliseconds from 1ms to 8s.
		walFsync: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "etcd_disk_wal_fsync_duration_seconds", Help: "The latency distributions of fsync called by WAL.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14),
		}),
		backendCommit: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "etcd_disk_backend_commit_duration_seconds", Help: "The latency distributions of commit called by backend.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14),
		}),
	}
	m.registry.MustRegister(m.leaderChanges, m.failed, m.walFsync, m.backendCommit,
		newScrapeCollector(d),
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// MetricsHandler serves the member's metrics in Prometheus' text format.
func (d *Daemon) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(d.metrics.registry, promhttp.HandlerOpts{})
}

// HealthHandler answers /health as etcd 3.5 does (etcd:
// etcdserver/api/etcdhttp/metrics.go checkHealth): a raised alarm first
// (503, {"health":"false","reason":"ALARM NOSPACE"}), then no leader (503,
// "RAFT NO LEADER"), else 200 and {"health":"true","reason":""}. The
// client URLs serve it (native/api http.go), and the metrics URLs.
func (d *Daemon) HealthHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		live := d.Live()
		reason := ""
		switch {
		case len(live.Alarms) > 0:
			reason = "ALARM " + live.Alarms[0].Alarm.String()
		case live.Lead == raft.None:
			reason = "RAFT NO LEADER"
		}
		w.Header().Set("Content-Type", "application/json")
		if reason != "" {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(w, `{"health":"false","reason":%q}`+"\n", reason)
			return
		}
		w.Write([]byte(`{"health":"true","reason":""}` + "\n"))
	})
}

// observeReady counts what one Ready shows; on the loop goroutine.
func (m *metrics) observeReady(rd server.Ready) {
	if rd.Lead != raft.None && rd.Lead != m.lastLead {
		m.leaderChanges.Inc() // etcd: a new leader, not the loss of one
	}
	m.lastLead = rd.Lead
	for _, r := range rd.Responses {
		if r.Err != nil {
			m.failed.Inc()
		}
	}
}

// timedBackend is the backend the core writes through, with each commit
// timed into etcd_disk_backend_commit_duration_seconds.
type timedBackend struct {
	backend.Backend
	commit prometheus.Observer
}

func (b timedBackend) BeginWrite() backend.WriteTx {
	return timedWriteTx{WriteTx: b.Backend.BeginWrite(), commit: b.commit}
}

type timedWriteTx struct {
	backend.WriteTx
	commit prometheus.Observer
}

func (t timedWriteTx) Commit() error {
	start := time.Now()
	err := t.WriteTx.Commit()
	t.commit.Observe(time.Since(start).Seconds())
	return err
}

// scrapeCollector reads the current values when Prometheus asks.
type scrapeCollector struct {
	d     *Daemon
	descs map[string]*prometheus.Desc
}

func newScrapeCollector(d *Daemon) *scrapeCollector {
	c := &scrapeCollector{d: d, descs: map[string]*prometheus.Desc{}}
	add := func(name, help string, labels ...string) {
		c.descs[name] = prometheus.NewDesc(name, help, labels, nil)
	}
	add("etcd_server_has_leader", "Whether or not a leader exists. 1 is existence, 0 is not.")
	add("etcd_server_is_leader", "Whether or not this member is a leader. 1 if is, 0 otherwise.")
	add("etcd_server_id", "Server or member ID in hexadecimal format. 1 for 'server_id' label with current ID.", "server_id")
	add("etcd_server_proposals_committed_total", "The total number of consensus proposals committed.")
	add("etcd_server_proposals_applied_total", "The total number of consensus proposals applied.")
	add("etcd_server_proposals_pending", "The current number of pending proposals to commit.")
	add("etcd_server_term", "The current Raft term (etcdlab).")
	add("etcd_debugging_mvcc_current_revision", "The current revision of store.")
	add("etcd_mvcc_db_total_size_in_bytes", "Total size of the underlying database physically allocated in bytes.")
	add("etcd_mvcc_db_total_size_in_use_in_bytes", "Total size of the underlying database logically in use in bytes.")
	add("etcd_network_peer_sent_bytes_total", "The total number of bytes sent to peers.", "To")
	add("etcd_network_peer_received_bytes_total", "The total number of bytes received from peers.", "From")
	return c
}

func (c *scrapeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range c.descs {
		ch <- d
	}
}

// loopFigures are the values only the loop goroutine may read.
type loopFigures struct {
	committed           uint64
	pending             int
	dbSize, dbSizeInUse int64
	ok                  bool
}

func (c *scrapeCollector) Collect(ch chan<- prometheus.Metric) {
	d := c.d
	l := d.Live()
	gauge := func(name string, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(c.descs[name], prometheus.GaugeValue, v, labels...)
	}
	gauge("etcd_server_has_leader", boolFloat(l.Lead != raft.None))
	gauge("etcd_server_is_leader", boolFloat(l.Lead != raft.None && uint64(l.Lead) == l.ID))
	gauge("etcd_server_id", 1, fmtID(l.ID))
	gauge("etcd_server_proposals_applied_total", float64(l.Applied)) // a gauge in etcd too
	gauge("etcd_server_term", float64(l.Term))
	gauge("etcd_debugging_mvcc_current_revision", float64(l.Revision))
	if f := c.fromLoop(); f.ok {
		gauge("etcd_server_proposals_committed_total", float64(f.committed))
		gauge("etcd_server_proposals_pending", float64(f.pending))
		gauge("etcd_mvcc_db_total_size_in_bytes", float64(f.dbSize))
		gauge("etcd_mvcc_db_total_size_in_use_in_bytes", float64(f.dbSizeInUse))
	}
	if d.tr == nil {
		return
	}
	for _, p := range d.tr.Stats().Peers {
		id := fmtID(uint64(p.ID))
		ch <- prometheus.MustNewConstMetric(c.descs["etcd_network_peer_sent_bytes_total"], prometheus.CounterValue, float64(p.SentBytes), id)
		ch <- prometheus.MustNewConstMetric(c.descs["etcd_network_peer_received_bytes_total"], prometheus.CounterValue, float64(p.ReceivedBytes), id)
	}
}

// fromLoop asks the loop for the figures it owns, waiting at most
// metricsScrapeTimeout.
func (c *scrapeCollector) fromLoop() loopFigures {
	var f loopFigures
	ctx, cancel := context.WithTimeout(context.Background(), metricsScrapeTimeout)
	defer cancel()
	err := c.d.control(ctx, func() {
		f.committed = c.d.member.CommittedIndex()
		f.pending = len(c.d.waits)
		f.dbSize, f.dbSizeInUse = c.d.db.Size(), c.d.db.SizeInUse()
		f.ok = true
	})
	if err != nil {
		f.ok = false
	}
	return f
}

func boolFloat(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
