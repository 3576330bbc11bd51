package main

// `etcdlab up`: a local 3-member cluster on 127.0.0.1, for trying etcdctl
// against etcdlab in one command. Each member is a child process — this
// same binary's `server`, started with etcd's flags — so the cluster is
// exactly what an operator would run by hand, only wired for them:
//
//	etcdlab up ──exec──► etcdlab server --name n1 --data-dir D/n1 ...  (log: D/n1.log)
//	           ├─exec──► etcdlab server --name n2 ...
//	           └─exec──► etcdlab server --name n3 ...
//	  D/cluster.json     names and URLs, so that `up` on the same D
//	                     restarts the same members with their data
//
// `up` waits until every member answers /health on its metrics URL, prints
// the endpoints and a ready-to-paste etcdctl line, then waits. SIGINT or
// SIGTERM is forwarded to the members and `up` waits for them to stop
// cleanly; if `up` itself dies, Linux stops them (Pdeathsig, up_linux.go).
// With --lessons it also serves the lessons site, so that `make run` is one
// process tree that one Ctrl-C stops.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
)

// Limits of `up`.
const (
	upMembers         = 3
	upHealthyTimeout  = 30 * time.Second
	upStopTimeout     = 15 * time.Second
	upPollInterval    = 100 * time.Millisecond
	upPortStride      = 10 // --base-port P: member i uses P+10i (client), +1 (peer), +2 (metrics)
	upClusterFile     = "cluster.json"
	upClusterToken    = "etcdlab-up"
	upDefaultDir      = ".etcdlab/cluster"
	upHealthReqTimout = time.Second
)

// upMember is one member of the local cluster, as cluster.json records it.
type upMember struct {
	Name       string `json:"name"`
	ClientURL  string `json:"client_url"`
	PeerURL    string `json:"peer_url"`
	MetricsURL string `json:"metrics_url"`
}

type upFlags struct {
	dir                     string
	basePort                int
	lessonsAddr, lessonsDir string
}

func newUpCommand() *cobra.Command {
	f := &upFlags{}
	cmd := &cobra.Command{
		Use:   "up",
		Short: "Run a local 3-member cluster (child processes on 127.0.0.1) until Ctrl-C",
		Long: "Starts three `etcdlab server` members on 127.0.0.1, waits until they are healthy and prints\n" +
			"their endpoints. Running it again on the same --dir restarts the same cluster with its data.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runUp(f, cmd.OutOrStdout()) },
	}
	fs := cmd.Flags()
	fs.StringVar(&f.dir, "dir", upDefaultDir, "directory for the members' data dirs and logs")
	fs.IntVar(&f.basePort, "base-port", 0, "member i listens on base+10i (client), +1 (peer), +2 (metrics); 0 picks free ports")
	fs.StringVar(&f.lessonsAddr, "lessons", "", "also serve the lessons site on this address (e.g. 127.0.0.1:8380)")
	fs.StringVar(&f.lessonsDir, "lessons-dir", "site/dist", "the built site for --lessons (make site)")
	return cmd
}

func runUp(f *upFlags, out io.Writer) error {
	dir, err := filepath.Abs(f.dir)
	if err != nil {
		return err
	}
	members, restarting, err := upPlan(dir, f.basePort)
	if err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("up: cannot find this binary to start the members: %w", err)
	}
	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigc)
	procs, err := startMembers(exe, dir, members)
	if err != nil {
		stopMembers(procs, out)
		return err
	}
	if err := waitHealthy(members, procs, sigc); err != nil {
		stopMembers(procs, out)
		return err
	}
	lessonsURL, stopLessons, err := startLessons(f.lessonsAddr, f.lessonsDir)
	if err != nil {
		stopMembers(procs, out)
		return err
	}
	defer stopLessons()
	printUp(out, dir, members, restarting, lessonsURL)
	return superviseMembers(procs, sigc, out)
}

// upPlan reads D/cluster.json, or plans a new cluster and writes it.
func upPlan(dir string, basePort int) (members []upMember, restarting bool, err error) {
	path := filepath.Join(dir, upClusterFile)
	if b, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(b, &members); err != nil || len(members) == 0 {
			return nil, false, fmt.Errorf("up: %s is not a cluster description (%v); remove %s to start a new cluster", path, err, dir)
		}
		return members, true, nil
	}
	ports, err := upPorts(basePort)
	if err != nil {
		return nil, false, err
	}
	for i := 0; i < upMembers; i++ {
		members = append(members, upMember{
			Name:       fmt.Sprintf("n%d", i+1),
			ClientURL:  fmt.Sprintf("http://127.0.0.1:%d", ports[3*i]),
			PeerURL:    fmt.Sprintf("http://127.0.0.1:%d", ports[3*i+1]),
			MetricsURL: fmt.Sprintf("http://127.0.0.1:%d", ports[3*i+2]),
		})
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, false, err
	}
	b, _ := json.MarshalIndent(members, "", "  ")
	return members, false, os.WriteFile(path, append(b, '\n'), 0o600)
}

// upPorts returns client, peer and metrics ports for every member: from
// basePort, or free ones the kernel picks (held open together so that they
// differ, then released for the members to take).
func upPorts(basePort int) ([]int, error) {
	n := 3 * upMembers
	ports := make([]int, 0, n)
	if basePort > 0 {
		for i := 0; i < upMembers; i++ {
			p := basePort + upPortStride*i
			ports = append(ports, p, p+1, p+2)
		}
		return ports, nil
	}
	var held []net.Listener
	defer func() {
		for _, l := range held {
			l.Close()
		}
	}()
	for len(ports) < n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("up: no free port on 127.0.0.1: %w", err)
		}
		held = append(held, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// serverArgs are the etcd flags of one member (ignored by a restart except
// the URLs to listen on, as in etcd).
func serverArgs(dir string, m upMember, all []upMember) []string {
	var initial []string
	for _, o := range all {
		initial = append(initial, o.Name+"="+o.PeerURL)
	}
	return []string{"server",
		"--name", m.Name, "--data-dir", filepath.Join(dir, m.Name),
		"--listen-client-urls", m.ClientURL, "--advertise-client-urls", m.ClientURL,
		"--listen-peer-urls", m.PeerURL, "--initial-advertise-peer-urls", m.PeerURL,
		"--listen-metrics-urls", m.MetricsURL,
		"--initial-cluster", strings.Join(initial, ","),
		"--initial-cluster-token", upClusterToken, "--initial-cluster-state", "new",
	}
}

// memberProc is one running child and the end of its Wait.
type memberProc struct {
	m    upMember
	cmd  *exec.Cmd
	log  string
	done chan struct{}
	err  error // set before done closes
}

func startMembers(exe, dir string, members []upMember) ([]*memberProc, error) {
	var procs []*memberProc
	for _, m := range members {
		logPath := filepath.Join(dir, m.Name+".log")
		lf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return procs, err
		}
		cmd := exec.Command(exe, serverArgs(dir, m, members)...)
		cmd.Stdout, cmd.Stderr = lf, lf
		cmd.SysProcAttr = upSysProcAttr()
		if err := cmd.Start(); err != nil {
			lf.Close()
			return procs, fmt.Errorf("up: starting member %s: %w", m.Name, err)
		}
		lf.Close() // the child holds its own descriptor
		p := &memberProc{m: m, cmd: cmd, log: logPath, done: make(chan struct{})}
		go func() { p.err = cmd.Wait(); close(p.done) }()
		procs = append(procs, p)
	}
	return procs, nil
}

// waitHealthy polls every member's /health until all say so.
func waitHealthy(members []upMember, procs []*memberProc, sigc <-chan os.Signal) error {
	deadline := time.Now().Add(upHealthyTimeout)
	client := &http.Client{Timeout: upHealthReqTimout}
	for {
		healthy := 0
		for _, p := range procs {
			select {
			case <-p.done:
				return fmt.Errorf("up: member %s exited before it was healthy (%v); see %s:\n%s", p.m.Name, p.err, p.log, logTail(p.log))
			default:
			}
			if memberHealthy(client, p.m) {
				healthy++
			}
		}
		if healthy == len(members) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("up: the cluster was not healthy after %v; see the logs in %s", upHealthyTimeout, filepath.Dir(procs[0].log))
		}
		select {
		case s := <-sigc:
			return fmt.Errorf("up: %v while waiting for the cluster", s)
		case <-time.After(upPollInterval):
		}
	}
}

func memberHealthy(client *http.Client, m upMember) bool {
	resp, err := client.Get(m.MetricsURL + "/health")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// logTail is the end of a member's log, for an error message.
func logTail(path string) string {
	b, _ := os.ReadFile(path)
	const keep = 2000
	if len(b) > keep {
		b = b[len(b)-keep:]
	}
	return string(b)
}

// startLessons serves the lessons site in this process, if asked to.
func startLessons(addr, dir string) (string, func(), error) {
	if addr == "" {
		return "", func() {}, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("up: lessons cannot listen on %s: %w (choose another with --lessons)", addr, err)
	}
	root, _ := siteRoot(dir)
	srv := &http.Server{Handler: lessonsHandler(root, dir), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String() + "/", func() { srv.Close() }, nil
}

// printUp tells the user what runs where. Tests read the "endpoints:" line.
func printUp(out io.Writer, dir string, members []upMember, restarting bool, lessonsURL string) {
	var urls, hosts []string
	for _, m := range members {
		urls = append(urls, m.ClientURL)
		hosts = append(hosts, strings.TrimPrefix(m.ClientURL, "http://"))
	}
	verb := "started"
	if restarting {
		verb = "restarted"
	}
	fmt.Fprintf(out, "etcdlab up: %s a %d-member cluster; all members healthy\n", verb, len(members))
	if lessonsURL != "" {
		fmt.Fprintf(out, "lessons:   %s\n", lessonsURL)
	}
	fmt.Fprintf(out, "endpoints: %s\n", strings.Join(urls, ","))
	fmt.Fprintf(out, "data dir:  %s (logs: %s)\n", dir, filepath.Join(dir, "n*.log"))
	fmt.Fprintf(out, "try:\n  etcdctl --endpoints=%s put foo bar\n", strings.Join(hosts, ","))
	fmt.Fprintf(out, "  etcdlab put --endpoints=%s foo bar\n", strings.Join(hosts, ","))
	fmt.Fprintf(out, "Ctrl-C stops the cluster; `etcdlab up --dir %s` restarts it with its data.\n", dir)
}

// superviseMembers waits for a signal (then stops the members) or for all
// members to exit by themselves.
func superviseMembers(procs []*memberProc, sigc <-chan os.Signal, out io.Writer) error {
	exited := make(chan *memberProc, len(procs))
	for _, p := range procs {
		go func() { <-p.done; exited <- p }()
	}
	left := len(procs)
	for {
		select {
		case s := <-sigc:
			fmt.Fprintf(out, "etcdlab up: %v: stopping the members\n", s)
			return stopMembers(procs, out)
		case p := <-exited:
			left--
			fmt.Fprintf(out, "etcdlab up: member %s exited (%v); see %s\n", p.m.Name, exitText(p.err), p.log)
			if left == 0 {
				return errors.New("up: every member has exited")
			}
		}
	}
}

// stopMembers sends SIGTERM to every member still running and waits for
// each, killing one that does not stop within upStopTimeout. It fails if a
// member did not exit cleanly.
func stopMembers(procs []*memberProc, out io.Writer) error {
	for _, p := range procs {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Signal(syscall.SIGTERM)
		}
	}
	var failed []string
	deadline := time.After(upStopTimeout)
	for _, p := range procs {
		select {
		case <-p.done:
		case <-deadline:
			p.cmd.Process.Kill()
			<-p.done
		}
		if p.err != nil {
			failed = append(failed, fmt.Sprintf("%s (%v)", p.m.Name, exitText(p.err)))
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("up: members did not stop cleanly: %s", strings.Join(failed, ", "))
	}
	fmt.Fprintln(out, "etcdlab up: all members stopped")
	return nil
}

func exitText(err error) string {
	if err == nil {
		return "exit status 0"
	}
	return err.Error()
}
