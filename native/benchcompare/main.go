// Command benchcompare measures etcdlab against etcd on this machine, in
// one run, with the same load generator: it starts a 3-member etcd cluster
// (--etcd, etcd 3.4's binary), loads it with `etcdlab bench ... --json` for
// each workload and concurrency, stops it, then does the same with a
// 3-member `etcdlab server` cluster with the same flags, and prints one
// table: ops/s, p50, p99 and p99.9 of each, and the ratio etcdlab/etcd.
//
//	for system in etcd, etcdlab:
//	    start 3 members (free 127.0.0.1 ports, a temp data dir each)
//	    for workload in put, range (linearizable), txn-put:
//	        for C in 1, 16, 256:   etcdlab bench <workload> --clients C --json
//	    stop the members, remove the data dirs
//
// The clusters run one after the other, never together: on two cores two
// clusters would share the CPU and the disk, and measure each other.
//
// Usage (make bench runs it when /usr/bin/etcd exists):
//
//	go build -o /tmp/etcdlab ./native/cmd/etcdlab
//	go run ./native/benchcompare --etcdlab /tmp/etcdlab --etcd /usr/bin/etcd --scale 1
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// workload is one `etcdlab bench` subcommand with its arguments.
type workload struct {
	name string
	args []string
}

var workloads = []workload{
	{"put", []string{"put", "--key-space-size", "1000", "--val-size", "256"}},
	{"range-l", []string{"range", "bench-key"}},
	{"txn-put", []string{"txn-put", "--key-space-size", "1000", "--val-size", "256"}},
}

var concurrencies = []int{1, 16, 256}

// totalFor: requests per run at concurrency c, times scale.
func totalFor(c int, scale float64) int {
	base := map[int]int{1: 1000, 16: 8000, 256: 20000}[c]
	return max(int(float64(base)*scale), c)
}

// connsFor: gRPC connections shared by c clients (etcd's benchmark
// examples use 1 conn for 1 client and 100 for 1,000).
func connsFor(c int) int { return max(1, c/16) }

// summary is the part of `etcdlab bench --json` the table shows.
type summary struct {
	Requests          int     `json:"requests"`
	Errors            int     `json:"errors"`
	RequestsPerSecond float64 `json:"requestsPerSecond"`
	P50Millis         float64 `json:"p50Millis"`
	P99Millis         float64 `json:"p99Millis"`
	P999Millis        float64 `json:"p999Millis"`
}

func main() {
	etcdlab := flag.String("etcdlab", "", "the etcdlab binary (built from ./native/cmd/etcdlab)")
	etcd := flag.String("etcd", "/usr/bin/etcd", "etcd's binary (3.4)")
	scale := flag.Float64("scale", 1, "multiply every run's total requests by this")
	only := flag.String("only", "", "run only this system: etcd or etcdlab")
	flag.Parse()
	if *etcdlab == "" {
		fatalf("--etcdlab is required: go build -o /tmp/etcdlab ./native/cmd/etcdlab")
	}
	results := map[string]map[string]summary{}
	for _, sys := range []struct{ name, bin string }{{"etcd", *etcd}, {"etcdlab", *etcdlab}} {
		if *only != "" && *only != sys.name {
			continue
		}
		res, err := measure(sys.name, sys.bin, *etcdlab, *scale)
		if err != nil {
			fatalf("%s: %v", sys.name, err)
		}
		results[sys.name] = res
	}
	printTable(results)
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "benchcompare: "+format+"\n", args...)
	os.Exit(1)
}

// measure starts a cluster of system (etcd or etcdlab server), runs every
// workload at every concurrency against it, and stops it.
func measure(system, bin, benchBin string, scale float64) (map[string]summary, error) {
	c, err := startCluster(system, bin)
	if err != nil {
		return nil, err
	}
	defer c.stop()
	endpoints := strings.Join(c.clientURLs, ",")
	if err := seed(c.clientURLs); err != nil {
		return nil, err
	}
	out := map[string]summary{}
	for _, w := range workloads {
		for _, conc := range concurrencies {
			s, err := runBench(benchBin, endpoints, w, conc, totalFor(conc, scale))
			if err != nil {
				return nil, fmt.Errorf("%s C=%d: %w", w.name, conc, err)
			}
			fmt.Fprintf(os.Stderr, "%-8s %-8s C=%-4d %9.0f ops/s p50 %7.2f ms p99 %7.2f ms p99.9 %7.2f ms errors %d\n",
				system, w.name, conc, s.RequestsPerSecond, s.P50Millis, s.P99Millis, s.P999Millis, s.Errors)
			out[key(w.name, conc)] = s
		}
	}
	return out, nil
}

func key(w string, c int) string { return fmt.Sprintf("%s/%d", w, c) }

// runBench runs one `etcdlab bench` and parses its JSON line.
func runBench(bin, endpoints string, w workload, conc, total int) (summary, error) {
	args := append([]string{"bench", "--endpoints", endpoints, "--json",
		"--clients", fmt.Sprint(conc), "--conns", fmt.Sprint(connsFor(conc)), "--total", fmt.Sprint(total)}, w.args...)
	cmd := exec.Command(bin, args...)
	cmd.Stderr = os.Stderr
	b, err := cmd.Output()
	if err != nil {
		return summary{}, fmt.Errorf("%s %s: %w", bin, strings.Join(args, " "), err)
	}
	var s summary
	if err := json.Unmarshal(b, &s); err != nil {
		return summary{}, fmt.Errorf("parsing %q: %w", b, err)
	}
	return s, nil
}

// seed writes the key the range workload reads.
func seed(endpoints []string) error {
	cli, err := clientv3.New(clientv3.Config{Endpoints: endpoints, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		return err
	}
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		_, err := cli.Put(ctx, "bench-key", strings.Repeat("v", 256))
		if err == nil || ctx.Err() != nil {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// cluster is three member processes and their data dirs.
type cluster struct {
	procs      []*exec.Cmd
	dir        string
	clientURLs []string
}

// startCluster starts three members of system with etcd's flags.
func startCluster(system, bin string) (*cluster, error) {
	dir, err := os.MkdirTemp("", "benchcompare-"+system+"-")
	if err != nil {
		return nil, err
	}
	c := &cluster{dir: dir}
	ports, err := freePorts(6)
	if err != nil {
		return nil, err
	}
	var initial []string
	for i := range 3 {
		initial = append(initial, fmt.Sprintf("m%d=http://127.0.0.1:%d", i, ports[2*i+1]))
	}
	for i := range 3 {
		client := fmt.Sprintf("http://127.0.0.1:%d", ports[2*i])
		peer := fmt.Sprintf("http://127.0.0.1:%d", ports[2*i+1])
		args := []string{
			"--name", fmt.Sprintf("m%d", i), "--data-dir", filepath.Join(dir, fmt.Sprintf("m%d", i)),
			"--listen-client-urls", client, "--advertise-client-urls", client,
			"--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
			"--initial-cluster", strings.Join(initial, ","), "--initial-cluster-state", "new",
			"--initial-cluster-token", "benchcompare", "--log-level", "error",
		}
		if system == "etcdlab" {
			args = append([]string{"server"}, args...)
		}
		cmd := exec.Command(bin, args...)
		logf, err := os.Create(filepath.Join(dir, fmt.Sprintf("m%d.log", i)))
		if err != nil {
			c.stop()
			return nil, err
		}
		cmd.Stdout, cmd.Stderr = logf, logf
		if err := cmd.Start(); err != nil {
			c.stop()
			return nil, fmt.Errorf("starting %s: %w", bin, err)
		}
		c.procs = append(c.procs, cmd)
		c.clientURLs = append(c.clientURLs, client)
	}
	return c, nil
}

func (c *cluster) stop() {
	for _, p := range c.procs {
		p.Process.Kill()
		p.Wait()
	}
	os.RemoveAll(c.dir)
}

// freePorts asks the kernel for n free ports on 127.0.0.1.
func freePorts(n int) ([]int, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// printTable prints one row per workload and concurrency.
func printTable(results map[string]map[string]summary) {
	fmt.Printf("%-8s %4s | %10s %8s %8s %8s | %10s %8s %8s %8s | %7s %7s %7s\n",
		"workload", "C", "etcd op/s", "p50 ms", "p99 ms", "p99.9", "lab op/s", "p50 ms", "p99 ms", "p99.9", "ops x", "p99 x", "p99.9 x")
	for _, w := range workloads {
		for _, conc := range concurrencies {
			e, l := results["etcd"][key(w.name, conc)], results["etcdlab"][key(w.name, conc)]
			fmt.Printf("%-8s %4d | %10.0f %8.2f %8.2f %8.2f | %10.0f %8.2f %8.2f %8.2f | %7.2f %7.2f %7.2f\n",
				w.name, conc, e.RequestsPerSecond, e.P50Millis, e.P99Millis, e.P999Millis,
				l.RequestsPerSecond, l.P50Millis, l.P99Millis, l.P999Millis,
				ratio(l.RequestsPerSecond, e.RequestsPerSecond), ratio(l.P99Millis, e.P99Millis), ratio(l.P999Millis, e.P999Millis))
		}
	}
	fmt.Println("ops x = etcdlab ops/s / etcd ops/s (higher is better); p99 x, p99.9 x = etcdlab / etcd (lower is better)")
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}
