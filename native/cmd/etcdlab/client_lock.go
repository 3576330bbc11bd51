package main

// lock: a distributed mutex, entirely on the client side, as etcdctl does
// it (etcd: etcdctl/ctlv3/command/lock_command.go) with clientv3's
// concurrency package. The lock is a key under the lock's name, written
// with the lease of a session that keeps itself alive:
//
//	lock/694d8e0c1b2a3f04  (create revision 41, lease 694d...)   <- holder
//	lock/694d8e0c1b2a3f09  (create revision 57)                  <- waits for 41
//
// The key with the lowest create revision holds the lock; every other
// waiter watches the key just before its own and tries again when it is
// deleted (Mutex.Lock: waitDeletes). Unlocking deletes the key; a holder
// that dies without unlocking loses the lock when its lease expires
// (--ttl seconds after its last keep-alive). The server needs only KV,
// Lease and Watch.
//
//	etcdlab lock mylock                 print the key, hold until Ctrl-C
//	etcdlab lock mylock cmd arg...      run cmd holding the lock, then unlock;
//	                                    cmd sees ETCD_LOCK_KEY, ETCD_LOCK_REV
//	etcdlab lock mylock -- cmd -flag    (flags of cmd after --, as etcdctl)

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
	"go.etcd.io/etcd/client/v3/concurrency"

	"github.com/etcdlab/etcdlab/native/ctl"
)

// defaultLockTTLSeconds is the session's lease TTL (etcdctl: lockTTL = 10).
const defaultLockTTLSeconds = 10

func newLockCommand(rt *clientRuntime) *cobra.Command {
	var ttl int
	cmd := &cobra.Command{
		Use:   "lock <lockname> [exec-command arg1 arg2 ...]",
		Short: "Acquires a named lock",
	}
	cmd.Flags().IntVar(&ttl, "ttl", defaultLockTTLSeconds, "timeout for session")
	cmd.RunE = rt.run(func(s *session, args []string) error {
		if len(args) == 0 {
			return ctl.Exitf(ctl.ExitBadArgs, "lock takes a lock name argument and an optional command to execute")
		}
		return requestError(lockUntilSignal(s, ttl, args[0], args[1:]))
	})
	return cmd
}

// lockUntilSignal takes the lock, then either runs the command and
// unlocks, or prints the lock's key and holds it until SIGINT/SIGTERM
// (unlock) or until the session's lease is lost.
func lockUntilSignal(s *session, ttl int, name string, command []string) error {
	ctx, stop := signal.NotifyContext(s.ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	c, err := s.client()
	if err != nil {
		return err
	}
	sess, err := concurrency.NewSession(c, concurrency.WithTTL(ttl))
	if err != nil {
		return err
	}
	m := concurrency.NewMutex(sess, name)
	if err := m.Lock(ctx); err != nil {
		return err
	}
	if len(command) > 0 {
		return runLocked(s, m, command)
	}
	resp, err := c.Get(ctx, m.Key())
	if err != nil {
		return err
	}
	if len(resp.Kvs) == 0 {
		return errors.New("lock lost on init")
	}
	if err := s.printer.Get(resp); err != nil {
		return err
	}
	select {
	case <-ctx.Done():
		uctx, cancel := s.commandCtx()
		defer cancel()
		return m.Unlock(uctx)
	case <-sess.Done():
		return errors.New("session expired")
	}
}

// runLocked runs the command with the lock held and unlocks after it,
// whatever its outcome; the command's failure is reported first.
func runLocked(s *session, m *concurrency.Mutex, command []string) error {
	child := exec.Command(command[0], command[1:]...)
	child.Env = append([]string{
		"ETCD_LOCK_KEY=" + m.Key(),
		fmt.Sprintf("ETCD_LOCK_REV=%d", m.Header().Revision),
	}, os.Environ()...)
	child.Stdin, child.Stdout, child.Stderr = os.Stdin, s.cmd.OutOrStdout(), s.cmd.ErrOrStderr()
	runErr := child.Run()
	uctx, cancel := s.commandCtx()
	defer cancel()
	unlockErr := m.Unlock(uctx)
	if runErr != nil {
		return runErr
	}
	return unlockErr
}
