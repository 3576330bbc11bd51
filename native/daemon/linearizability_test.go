package daemon_test

// Linearizability of the real daemon, checked with porcupine (Anish
// Athalye's checker, after Knossos; Wing & Gong's algorithm with Lowe's
// optimizations). Several clientv3 clients put, get (linearizable) and
// compare-and-swap (a txn: if value(k) == old then put(k, new)) on a few
// keys of a 3-member cluster of real processes, while a seeded fault
// schedule kill -9's members — the leader half of the time — and restarts
// them from their files. Every operation is recorded with its invoke and
// return times; porcupine then looks for one order of the operations, per
// key, that a single register would have produced and that respects real
// time.
//
//	client 1  |--put k0=a--|      |--get k0 -> b--|
//	client 2       |--cas k0 a->b--|
//	faults           kill -9 leader ..... restart it
//
// An operation that fails or times out may or may not have taken effect:
// a write is recorded as returning at the end of time with an unknown
// output (porcupine may place it anywhere after its invocation, or after
// everything, which is the same as never), a failed read constrains
// nothing and is left out. Every put writes a value no other put writes,
// so a read names the one write it saw.
//
// ETCDLAB_LINEARIZABILITY_SEED replays a fault schedule (the test prints
// the seed on failure); timing still differs from run to run.

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	clientv3 "go.etcd.io/etcd/client/v3"
)

const (
	linClients      = 6
	linKeys         = 3
	linRunFor       = 16 * time.Second
	linOpTimeout    = 1500 * time.Millisecond
	linCheckTimeout = 30 * time.Second
)

type linOpKind uint8

const (
	linGet linOpKind = iota
	linPut
	linCAS
)

// linInput is an operation as invoked; linOutput what it returned.
type linInput struct {
	kind     linOpKind
	key      string
	value    string // put: the value; cas: the new value
	expected string // cas: the value compared against ("" = absent)
}

type linOutput struct {
	value   string // get: the value read ("" = absent)
	ok      bool   // cas: whether the compare held
	unknown bool   // the outcome is not known (error, timeout)
}

// registerModel is one register per key, "" standing for absent.
var registerModel = porcupine.Model{
	Partition: func(history []porcupine.Operation) [][]porcupine.Operation {
		byKey := map[string][]porcupine.Operation{}
		var keys []string
		for _, op := range history {
			k := op.Input.(linInput).key
			if _, seen := byKey[k]; !seen {
				keys = append(keys, k)
			}
			byKey[k] = append(byKey[k], op)
		}
		var parts [][]porcupine.Operation
		for _, k := range keys {
			parts = append(parts, byKey[k])
		}
		return parts
	},
	Init: func() any { return "" },
	Step: func(state, input, output any) (bool, any) {
		s, in, out := state.(string), input.(linInput), output.(linOutput)
		switch in.kind {
		case linGet:
			return out.value == s, s
		case linPut:
			return true, in.value
		}
		holds := s == in.expected
		if out.unknown {
			if holds {
				return true, in.value
			}
			return true, s
		}
		if out.ok != holds {
			return false, s
		}
		if holds {
			return true, in.value
		}
		return true, s
	},
	DescribeOperation: func(input, output any) string {
		in, out := input.(linInput), output.(linOutput)
		switch in.kind {
		case linGet:
			return fmt.Sprintf("get(%s) -> %q", in.key, out.value)
		case linPut:
			return fmt.Sprintf("put(%s, %q) unknown=%v", in.key, in.value, out.unknown)
		}
		return fmt.Sprintf("cas(%s, %q -> %q) -> ok=%v unknown=%v", in.key, in.expected, in.value, out.ok, out.unknown)
	},
}

// linHistory collects operations from every client.
type linHistory struct {
	start time.Time
	mu    sync.Mutex
	ops   []porcupine.Operation
}

func (h *linHistory) now() int64 { return int64(time.Since(h.start)) }

func (h *linHistory) add(client int, in linInput, call int64, out linOutput, ret int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.ops = append(h.ops, porcupine.Operation{ClientId: client, Input: in, Call: call, Output: out, Return: ret})
}

func TestLinearizableUnderKills(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts real processes for about 20 seconds")
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("ETCDLAB_LINEARIZABILITY_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("ETCDLAB_LINEARIZABILITY_SEED=%q: %v", s, err)
		}
	}
	c := startCluster(t, 3)
	h := &linHistory{start: time.Now()}
	ctx, cancel := context.WithTimeout(context.Background(), linRunFor)
	defer cancel()
	var wg sync.WaitGroup
	for i := range linClients {
		cli := c.client(c.members...)
		wg.Add(1)
		go func() {
			defer wg.Done()
			runLinClient(ctx, cli, i, seed, h)
		}()
	}
	kills := runFaults(ctx, t, c, seed)
	wg.Wait()
	for _, m := range c.members {
		if !m.running() {
			c.start(m, "new") // a restart: the flags are ignored
		}
	}
	res, info := porcupine.CheckOperationsVerbose(registerModel, h.ops, linCheckTimeout)
	t.Logf("seed %d: %d operations, %d kills, result %s", seed, len(h.ops), kills, res)
	switch {
	case kills == 0:
		t.Fatalf("the fault schedule killed no member (seed %d)", seed)
	case res == porcupine.Illegal:
		path := filepath.Join(os.TempDir(), fmt.Sprintf("etcdlab-linearizability-%d.html", seed))
		if err := porcupine.VisualizePath(registerModel, info, path); err == nil {
			t.Logf("visualization: %s", path)
		}
		t.Fatalf("history is NOT linearizable (seed %d; replay with ETCDLAB_LINEARIZABILITY_SEED=%d)", seed, seed)
	case res == porcupine.Unknown:
		t.Logf("porcupine timed out after %v: inconclusive (seed %d)", linCheckTimeout, seed)
	}
	if !hasSuccessfulReadAndWrite(h.ops) {
		t.Fatalf("no successful get and put were recorded: the history proves nothing (seed %d)", seed)
	}
}

// runLinClient sends random operations until ctx ends. Its random choices
// come from the seed and the client's number.
func runLinClient(ctx context.Context, cli *clientv3.Client, id int, seed uint64, h *linHistory) {
	r := rand.New(rand.NewPCG(seed, uint64(id)+1))
	last := map[string]string{} // the last value this client saw per key: CAS candidates
	for n := 0; ctx.Err() == nil; n++ {
		in := linInput{key: fmt.Sprintf("k%d", r.IntN(linKeys)), value: fmt.Sprintf("c%d-%d", id, n)}
		switch x := r.IntN(10); {
		case x < 4:
			in.kind = linGet
		case x < 7:
			in.kind = linPut
		default:
			in.kind, in.expected = linCAS, last[in.key]
		}
		opCtx, cancel := context.WithTimeout(context.Background(), linOpTimeout)
		call := h.now()
		out, err := doLinOp(opCtx, cli, in)
		ret := h.now()
		cancel()
		switch {
		case err != nil && in.kind == linGet:
			continue // a failed read constrains nothing
		case err != nil:
			out, ret = linOutput{unknown: true}, math.MaxInt64
		case in.kind == linGet:
			last[in.key] = out.value
		case in.kind == linPut || out.ok:
			last[in.key] = in.value
		}
		h.add(id, in, call, out, ret)
	}
}

func doLinOp(ctx context.Context, cli *clientv3.Client, in linInput) (linOutput, error) {
	switch in.kind {
	case linGet:
		resp, err := cli.Get(ctx, in.key)
		if err != nil {
			return linOutput{}, err
		}
		if len(resp.Kvs) == 0 {
			return linOutput{}, nil
		}
		return linOutput{value: string(resp.Kvs[0].Value)}, nil
	case linPut:
		_, err := cli.Put(ctx, in.key, in.value)
		return linOutput{}, err
	}
	cmp := clientv3.Compare(clientv3.Value(in.key), "=", in.expected)
	if in.expected == "" {
		cmp = clientv3.Compare(clientv3.CreateRevision(in.key), "=", 0)
	}
	resp, err := cli.Txn(ctx).If(cmp).Then(clientv3.OpPut(in.key, in.value)).Commit()
	if err != nil {
		return linOutput{}, err
	}
	return linOutput{ok: resp.Succeeded}, nil
}

// runFaults kills a member every 1.5–3 s (the leader half of the time) and
// restarts it 0.3–1.5 s later, until ctx ends; it returns the kills.
func runFaults(ctx context.Context, t *testing.T, c *cluster, seed uint64) int {
	r := rand.New(rand.NewPCG(seed, 0))
	kills := 0
	pause := func(lo, hi time.Duration) bool {
		select {
		case <-ctx.Done():
			return false
		case <-time.After(lo + time.Duration(r.Int64N(int64(hi-lo)))):
			return true
		}
	}
	for pause(1500*time.Millisecond, 3*time.Second) {
		victim := c.members[r.IntN(len(c.members))]
		if r.IntN(2) == 0 {
			if l := c.leader(); l != nil {
				victim = l
			}
		}
		c.kill(victim)
		kills++
		t.Logf("kill -9 %s", victim.name)
		pause(300*time.Millisecond, 1500*time.Millisecond)
		c.start(victim, "new")
	}
	return kills
}

func hasSuccessfulReadAndWrite(ops []porcupine.Operation) bool {
	read, wrote := false, false
	for _, op := range ops {
		in, out := op.Input.(linInput), op.Output.(linOutput)
		read = read || (in.kind == linGet && out.value != "")
		wrote = wrote || (in.kind == linPut && !out.unknown)
	}
	return read && wrote
}

// The model must be able to say no: a read that misses a write completed
// before it began is not linearizable; the same read overlapping the write is.
func TestRegisterModelRejectsStaleRead(t *testing.T) {
	put := porcupine.Operation{Input: linInput{kind: linPut, key: "k", value: "a"}, Call: 0, Output: linOutput{}, Return: 10}
	stale := porcupine.Operation{ClientId: 1, Input: linInput{kind: linGet, key: "k"}, Call: 20, Output: linOutput{}, Return: 30}
	if porcupine.CheckOperations(registerModel, []porcupine.Operation{put, stale}) {
		t.Fatal("a read after a completed put that misses it was accepted")
	}
	stale.Call = 5
	if !porcupine.CheckOperations(registerModel, []porcupine.Operation{put, stale}) {
		t.Fatal("a read concurrent with the put was refused")
	}
}
