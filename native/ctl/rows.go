package ctl

// The list-like answers as rows of strings, shared by the simple format
// (one comma-separated line per row) and the table format (a boxed table
// under the header).

import (
	"fmt"
	"strings"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// memberRows: a member without a name has been added but never started.
func memberRows(r *clientv3.MemberListResponse) (hdr []string, rows [][]string) {
	hdr = []string{"ID", "Status", "Name", "Peer Addrs", "Client Addrs", "Is Learner"}
	for _, m := range r.Members {
		status := "started"
		if m.Name == "" {
			status = "unstarted"
		}
		rows = append(rows, []string{
			fmt.Sprintf("%x", m.ID), status, m.Name,
			strings.Join(m.PeerURLs, ","), strings.Join(m.ClientURLs, ","),
			fmt.Sprint(m.IsLearner),
		})
	}
	return hdr, rows
}

func healthRows(hs []EndpointHealth) (hdr []string, rows [][]string) {
	hdr = []string{"endpoint", "health", "took", "error"}
	for _, h := range hs {
		rows = append(rows, []string{h.Ep, fmt.Sprint(h.Health), h.Took, h.Error})
	}
	return hdr, rows
}

// statusRows: "is leader" compares the member's ID with the leader it knows.
func statusRows(ss []EndpointStatus) (hdr []string, rows [][]string) {
	hdr = []string{"endpoint", "ID", "version", "db size", "is leader", "is learner",
		"raft term", "raft index", "raft applied index", "errors"}
	for _, s := range ss {
		r := s.Resp
		rows = append(rows, []string{
			s.Ep, fmt.Sprintf("%x", r.Header.MemberId), r.Version,
			BytesSI(uint64(r.DbSize)),
			fmt.Sprint(r.Leader == r.Header.MemberId), fmt.Sprint(r.IsLearner),
			fmt.Sprint(r.RaftTerm), fmt.Sprint(r.RaftIndex), fmt.Sprint(r.RaftAppliedIndex),
			strings.Join(r.Errors, ", "),
		})
	}
	return hdr, rows
}

func hashKVRows(hs []EndpointHashKV) (hdr []string, rows [][]string) {
	hdr = []string{"endpoint", "hash"}
	for _, h := range hs {
		rows = append(rows, []string{h.Ep, fmt.Sprint(h.Resp.Hash)})
	}
	return hdr, rows
}

func snapshotRows(s SnapshotStatus) (hdr []string, rows [][]string) {
	hdr = []string{"hash", "revision", "total keys", "total size"}
	rows = [][]string{{
		fmt.Sprintf("%x", s.Hash), fmt.Sprint(s.Revision), fmt.Sprint(s.TotalKey),
		BytesSI(uint64(s.TotalSize)),
	}}
	return hdr, rows
}

// BytesSI writes a size in SI units rounded to one decimal and printed
// without it from 10 up ("20 kB", "1.5 MB", "512 B"), the way etcdctl's
// humanize.Bytes does.
func BytesSI(n uint64) string {
	units := []string{"B", "kB", "MB", "GB", "TB", "PB", "EB"}
	if n < 10 {
		return fmt.Sprintf("%d B", n)
	}
	value, unit := float64(n), 0
	for value >= 1000 && unit < len(units)-1 {
		value /= 1000
		unit++
	}
	// Round to one decimal first, as humanize does; %.0f then rounds half
	// to even ("20.5" -> "20").
	rounded := float64(int64(value*10+0.5)) / 10
	if rounded < 10 {
		return fmt.Sprintf("%.1f %s", rounded, units[unit])
	}
	return fmt.Sprintf("%.0f %s", rounded, units[unit])
}
