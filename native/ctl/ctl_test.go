package ctl

import (
	"bytes"
	"strings"
	"testing"
	"time"

	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

func TestBytesSI(t *testing.T) {
	for n, want := range map[uint64]string{
		0: "0 B", 9: "9 B", 10: "10 B", 999: "999 B", 1000: "1.0 kB", 1500: "1.5 kB",
		20480: "20 kB", 20512: "20 kB", 2_000_000: "2.0 MB", 123_456_789: "124 MB",
	} {
		if got := BytesSI(n); got != want {
			t.Errorf("BytesSI(%d) = %q, want %q", n, got, want)
		}
	}
}

// The layout etcdctl prints for a member list, checked against its output.
func TestTableLayout(t *testing.T) {
	var out bytes.Buffer
	p := &Printer{Format: FormatTable, Out: &out}
	p.table([]string{"ID", "Status", "Name"}, [][]string{{"2e1259d415f2a040", "started", "t"}, {"1", "unstarted", ""}})
	want := `+------------------+-----------+------+
|        ID        |  STATUS   | NAME |
+------------------+-----------+------+
| 2e1259d415f2a040 |   started |    t |
|                1 | unstarted |      |
+------------------+-----------+------+
`
	if out.String() != want {
		t.Fatalf("table:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestTableWrapsLongCells(t *testing.T) {
	got := wrapCell("memberID:2441069264613576093 alarm:NOSPACE, memberID:1 alarm:CORRUPT")
	want := []string{"memberID:2441069264613576093", "alarm:NOSPACE, memberID:1", "alarm:CORRUPT"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("wrapCell = %q, want %q", got, want)
	}
}

func TestSimpleShapes(t *testing.T) {
	var out bytes.Buffer
	p, _ := NewPrinter(FormatSimple, true, &out, &out)
	kv := &mvccpb.KeyValue{Key: []byte("a"), Value: []byte{0, 0xff}}
	p.Put(&clientv3.PutResponse{Header: &pb.ResponseHeader{}, PrevKv: kv})
	p.MemberAdd(&clientv3.MemberAddResponse{Header: &pb.ResponseHeader{ClusterId: 0x48276a8f75b6a87}, Member: &pb.Member{ID: 0x570cab04b716bdbf}})
	want := "OK\n\\x61\n\\x00\\xff\nMember 570cab04b716bdbf added to cluster  48276a8f75b6a87\n"
	if out.String() != want {
		t.Fatalf("simple output %q, want %q", out.String(), want)
	}
	if err := p.Get(&clientv3.GetResponse{}); err != nil {
		t.Fatal(err)
	}
	p.Format = FormatTable
	if err := p.Put(&clientv3.PutResponse{}); CodeOf(err) != ExitBadFeature || err.Error() != "table not supported as output format" {
		t.Fatalf("table put: %v (code %d)", err, CodeOf(err))
	}
}

func TestNewPrinterRefusesUnknownFormats(t *testing.T) {
	for _, f := range []string{"protobuf", "yaml", ""} {
		if _, err := NewPrinter(f, false, nil, nil); CodeOf(err) != ExitBadFeature {
			t.Errorf("NewPrinter(%q) err %v, want exit code 4", f, err)
		}
	}
}

func TestSplitWords(t *testing.T) {
	got, err := SplitWords(`put k "hello \"world\"" 'a b' --prev-kv`)
	want := []string{"put", "k", `hello "world"`, "a b", "--prev-kv"}
	if err != nil || strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("SplitWords = %q (%v), want %q", got, err, want)
	}
	if _, err := SplitWords(`put 'open`); err == nil {
		t.Fatalf("an unterminated quote was accepted")
	}
}

func TestReadTxn(t *testing.T) {
	in := "mod(\"k\") > \"0\"\nvalue(\"k\") != \"x y\"\nlease(\"k\") = \"1f\"\n\nput k v\ndel k --prefix\n\nget k --keys-only\n\n"
	var prompts []string
	req, err := ReadTxn(strings.NewReader(in), func(s string) { prompts = append(prompts, s) })
	if err != nil {
		t.Fatal(err)
	}
	if len(req.Compares) != 3 || len(req.Success) != 2 || len(req.Failure) != 1 || len(prompts) != 3 {
		t.Fatalf("txn: %d compares, %d success, %d failure, %d prompts", len(req.Compares), len(req.Success), len(req.Failure), len(prompts))
	}
	c := req.Compares[2]
	if c.Target != pb.Compare_LEASE || c.TargetUnion.(*pb.Compare_Lease).Lease != 0x1f {
		t.Fatalf("lease compare %+v", c)
	}
	for _, bad := range []string{"bogus\n\n\n\n", "mod(\"k\") >= \"1\"\n\n\n\n", "mod(\"k\") > \"x\"\n\n\n\n", "x(\"k\") = \"1\"\n\n\n\n", "\nfrob k\n\n\n", "\n\n"} {
		if _, err := ReadTxn(strings.NewReader(bad), nil); CodeOf(err) != ExitInvalidInput {
			t.Errorf("ReadTxn(%q) err %v, want exit code 3", bad, err)
		}
	}
}

func TestLatencies(t *testing.T) {
	l := &Latencies{Op: "put"}
	for i := 1; i <= 100; i++ {
		l.Add(time.Duration(i)*time.Millisecond, nil)
	}
	l.Add(0, errString("boom"))
	s := l.Summary(time.Second)
	if s.Requests != 100 || s.Errors != 1 || s.P50Millis != 50 || s.P90Millis != 90 || s.P99Millis != 99 || s.MaxMillis != 100 || s.MinMillis != 1 || s.RequestsPerSecond != 100 || s.MeanMillis != 50.5 {
		t.Fatalf("summary %+v", s)
	}
	var out bytes.Buffer
	l.WriteText(&out, time.Second)
	for _, part := range []string{"Requests/sec:\t100.0000", "  0.0010 [1]\t|", "  0.1000 [10]\t|", "99.9% in 0.1000 secs.", "[1]\tboom"} {
		if !strings.Contains(out.String(), part) {
			t.Fatalf("report lacks %q:\n%s", part, out.String())
		}
	}
}

type errString string

func (e errString) Error() string { return string(e) }
