package scenario

// Handlers of the client commands: put, get and delete. By default a client
// command waits (running the simulation) until its answer arrives — or the
// request times out — so the next line sees its effect; with `async` it only
// issues the request, and its answer appears in the transcript whenever it
// arrives.

import (
	"errors"
	"fmt"
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/sim"
)

// clientArgs reads the options after the key (and value).
type clientArgs struct {
	via          raft.NodeID
	async        bool
	serializable bool
}

func (r *Runner) clientArgs(rest []string) (clientArgs, error) {
	var a clientArgs
	if err := r.needCluster(); err != nil {
		return a, err
	}
	for i := 0; i < len(rest); i++ {
		switch rest[i] {
		case "async":
			a.async = true
		case "serializable":
			a.serializable = true
		case "via":
			id, err := r.node(rest[i+1])
			if err != nil {
				return a, err
			}
			a.via = id
			i++
		}
	}
	return a, nil
}

func runPut(r *Runner, cmd *Command) error {
	if err := r.etcdWords(cmd); err != nil || r.etcdMode() {
		return orEtcd(r, cmd, err)
	}
	a, err := r.clientArgs(cmd.Args[2:])
	if err != nil {
		return err
	}
	return r.await(r.cluster.Put(a.via, cmd.Args[0], cmd.Args[1]), a.async)
}

func runGet(r *Runner, cmd *Command) error {
	if err := r.etcdWords(cmd); err != nil || r.etcdMode() {
		return orEtcd(r, cmd, err)
	}
	a, err := r.clientArgs(cmd.Args[1:])
	if err != nil {
		return err
	}
	return r.await(r.cluster.Get(a.via, cmd.Args[0], a.serializable), a.async)
}

func runDelete(r *Runner, cmd *Command) error {
	if r.etcdMode() {
		return runEtcdClient(r, cmd)
	}
	a, err := r.clientArgs(cmd.Args[1:])
	if err != nil {
		return err
	}
	return r.await(r.cluster.Delete(a.via, cmd.Args[0]), a.async)
}

// await runs the simulation until req is answered (unless async) and keeps
// it as the last request for `expect result` / `expect error`.
func (r *Runner) await(req *sim.Request, async bool) error {
	r.lastReq, r.lastErr, r.lastAsync = req, nil, async
	if async {
		r.printf("issued r%d", req.ID)
		return nil
	}
	limit := r.cluster.Options().RequestTimeout + 100*time.Millisecond
	if err := r.cluster.Await(req, limit); err != nil {
		return err
	}
	r.lastErr = req.Err
	if req.Err != nil && req.Etcd != nil {
		r.lastErr = errors.New(sim.EtcdError(req.Err))
	}
	return nil
}

// etcdWords refuses etcdctl's flags in the default mode.
func (r *Runner) etcdWords(cmd *Command) error {
	if err := r.needCluster(); err != nil {
		return err
	}
	if !r.etcdMode() && hasFlags(cmd.Args) {
		return fmt.Errorf("%s with --flags needs etcd mode: build the cluster with `cluster N etcd`", cmd.Name)
	}
	return nil
}

// orEtcd runs an etcd-mode client command, unless err stops it.
func orEtcd(r *Runner, cmd *Command, err error) error {
	if err != nil {
		return err
	}
	return runEtcdClient(r, cmd)
}
