package main

// endpoint health | status | hashkv [--cluster]: ask each endpoint on its
// own. --cluster asks the member list for every member's client URLs
// instead of using --endpoints.

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/etcdlab/etcdlab/native/ctl"
)

func newEndpointCommand(rt *clientRuntime) *cobra.Command {
	var cluster bool
	var hashRev int64
	ep := &cobra.Command{Use: "endpoint <subcommand>", Short: "Endpoint related commands"}
	ep.PersistentFlags().BoolVar(&cluster, "cluster", false, "use all endpoints from the cluster member list")
	health := &cobra.Command{Use: "health", Short: "Checks the healthiness of endpoints specified in `--endpoints` flag"}
	health.RunE = rt.run(func(s *session, args []string) error { return endpointHealth(s, cluster) })
	status := &cobra.Command{
		Use:   "status",
		Short: "Prints out the status of endpoints specified in `--endpoints` flag",
		Long: `With -w simple, one comma-separated line per endpoint: endpoint, ID,
version, db size, is leader, is learner, raft term, raft index, raft applied index, errors.`,
	}
	status.RunE = rt.run(func(s *session, args []string) error { return endpointStatus(s, cluster) })
	hashkv := &cobra.Command{Use: "hashkv", Short: "Prints the KV history hash for each endpoint in --endpoints"}
	hashkv.Flags().Int64Var(&hashRev, "rev", 0, "maximum revision to hash (default: all revisions)")
	hashkv.RunE = rt.run(func(s *session, args []string) error { return endpointHashKV(s, cluster, hashRev) })
	ep.AddCommand(health, status, hashkv)
	return ep
}

// targetEndpoints: --endpoints, or with --cluster every member's client URLs.
func targetEndpoints(s *session, cluster bool) ([]string, error) {
	if !cluster {
		return s.endpoints(), nil
	}
	c, err := s.clientFor(s.endpoints(), false)
	if err != nil {
		return nil, ctl.WithCode(ctl.ExitError, err)
	}
	ctx, cancel := s.commandCtx()
	defer cancel()
	members, err := c.MemberList(ctx)
	if err != nil {
		return nil, ctl.Exitf(ctl.ExitError, "failed to fetch endpoints from etcd cluster member list: %v", err)
	}
	var eps []string
	for _, m := range members.Members {
		eps = append(eps, m.ClientURLs...)
	}
	return eps, nil
}

// endpointHealth checks every endpoint at once, each with its own client:
// healthy means a linearizable read went through Raft (permission denied
// counts: the read still reached consensus) and no alarm is raised.
func endpointHealth(s *session, cluster bool) error {
	eps, err := targetEndpoints(s, cluster)
	if err != nil {
		return err
	}
	results := make([]ctl.EndpointHealth, len(eps))
	var wg sync.WaitGroup
	for i, ep := range eps {
		cfg, err := s.config([]string{ep}, true)
		if err != nil {
			return err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = checkHealth(s, ep, cfg)
		}()
	}
	wg.Wait()
	unhealthy := false
	for _, h := range results {
		unhealthy = unhealthy || h.Error != ""
	}
	if err := s.printer.EndpointHealth(results); err != nil {
		return err
	}
	if unhealthy {
		return ctl.Exitf(ctl.ExitError, "unhealthy cluster")
	}
	return nil
}

// checkHealth reads a key through Raft on one endpoint, then looks for alarms.
func checkHealth(s *session, ep string, cfg *clientv3.Config) ctl.EndpointHealth {
	c, err := clientv3.New(*cfg)
	if err != nil {
		return ctl.EndpointHealth{Ep: ep, Error: err.Error()}
	}
	defer c.Close()
	start := time.Now()
	ctx, cancel := s.commandCtx()
	defer cancel()
	_, err = c.Get(ctx, "health")
	h := ctl.EndpointHealth{Ep: ep, Took: since(start)}
	if err != nil && !isPermissionDenied(err) {
		h.Error = err.Error()
		return h
	}
	h.Health = true
	alarms, err := c.AlarmList(ctx)
	switch {
	case err != nil:
		h.Health, h.Error = false, "Unable to fetch the alarm list"
	case len(alarms.Alarms) > 0:
		h.Health, h.Error = false, alarmNames(alarms.Alarms)
	}
	return h
}

func alarmNames(alarms []*pb.AlarmMember) string {
	var sb strings.Builder
	sb.WriteString("Active Alarm(s): ")
	for _, a := range alarms {
		switch a.Alarm {
		case pb.AlarmType_NOSPACE, pb.AlarmType_CORRUPT:
			sb.WriteString(a.Alarm.String() + " ")
		default:
			sb.WriteString("UNKNOWN ")
		}
	}
	return sb.String()
}

func endpointStatus(s *session, cluster bool) error {
	eps, err := targetEndpoints(s, cluster)
	if err != nil {
		return err
	}
	c, err := s.client()
	if err != nil {
		return err
	}
	var list []ctl.EndpointStatus
	failed := false
	for _, ep := range eps {
		ctx, cancel := s.commandCtx()
		resp, err := c.Status(ctx, ep)
		cancel()
		if err != nil {
			failed = true
			fmt.Fprintf(s.cmd.ErrOrStderr(), "Failed to get the status of endpoint %s (%v)\n", ep, err)
			continue
		}
		list = append(list, ctl.EndpointStatus{Ep: ep, Resp: resp})
	}
	if err := s.printer.EndpointStatus(list); err != nil {
		return err
	}
	if failed {
		return &ctl.CodedError{Code: ctl.ExitError}
	}
	return nil
}

func endpointHashKV(s *session, cluster bool, rev int64) error {
	eps, err := targetEndpoints(s, cluster)
	if err != nil {
		return err
	}
	c, err := s.client()
	if err != nil {
		return err
	}
	var list []ctl.EndpointHashKV
	var last error
	for _, ep := range eps {
		ctx, cancel := s.commandCtx()
		resp, err := c.HashKV(ctx, ep, rev)
		cancel()
		if err != nil {
			last = err
			fmt.Fprintf(s.cmd.ErrOrStderr(), "Failed to get the hash of endpoint %s (%v)\n", ep, err)
			continue
		}
		list = append(list, ctl.EndpointHashKV{Ep: ep, Resp: resp})
	}
	if err := s.printer.EndpointHashKV(list); err != nil {
		return err
	}
	return requestError(last)
}

// isPermissionDenied: the server's answer to a user without read rights.
func isPermissionDenied(err error) bool {
	return errors.Is(err, rpctypes.ErrPermissionDenied) || rpctypes.ErrorDesc(err) == rpctypes.ErrPermissionDenied.Error()
}

// since formats an elapsed time the way etcdctl reports it.
func since(start time.Time) string { return time.Since(start).String() }
