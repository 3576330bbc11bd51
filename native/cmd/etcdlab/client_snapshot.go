package main

// snapshot save | status | restore. A snapshot is the member's whole
// backend — etcd 3.4's bbolt file — streamed by the Maintenance API and
// followed by a SHA-256 of everything before it:
//
//	+--------------------------------------+------------------+
//	| bbolt database (pages)               | sha256 (32 B)    |
//	+--------------------------------------+------------------+
//
// save checks that trailer before it renames the download into place;
// status reads the database; restore writes a new member's data dir from it.
// status and restore take a snapshot of real etcd as well: status reads
// only what both programs share (bucket names, revision keys), so it gives
// etcdctl's numbers for either; restore converts etcd's records
// (native/etcdimport).

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"

	"github.com/spf13/cobra"
	bolt "go.etcd.io/bbolt"

	"github.com/etcdlab/etcdlab/native/ctl"
	"github.com/etcdlab/etcdlab/native/daemon"
)

// snapshotHashBytes is the length of the SHA-256 trailer.
const snapshotHashBytes = sha256.Size

func newSnapshotCommand(rt *clientRuntime) *cobra.Command {
	snap := &cobra.Command{Use: "snapshot <subcommand>", Short: "Manages etcd node snapshots"}
	save := &cobra.Command{Use: "save <filename>", Short: "Stores an etcd node backend snapshot to a given file"}
	save.RunE = rt.run(snapshotSave)
	status := &cobra.Command{
		Use:   "status <filename>",
		Short: "Gets backend snapshot status of a given file",
		Long:  "With -w simple, one comma-separated line: hash, revision, total keys, total size.",
	}
	status.RunE = rt.run(func(s *session, args []string) error {
		if err := exactArgs(args, 1, "snapshot status requires exactly one argument"); err != nil {
			return err
		}
		st, err := readSnapshotStatus(args[0])
		if err != nil {
			return ctl.WithCode(ctl.ExitError, err)
		}
		return s.printer.Snapshot(st)
	})
	snap.AddCommand(save, status, newSnapshotRestoreCommand(rt))
	return snap
}

func newSnapshotRestoreCommand(rt *clientRuntime) *cobra.Command {
	restore := &cobra.Command{Use: "restore <filename> [options]", Short: "Restores an etcd member snapshot to an etcd directory"}
	fs := restore.Flags()
	fs.String("data-dir", "", "Path to the data directory")
	fs.String("name", "default", "Human-readable name for this member")
	fs.String("initial-cluster", "default=http://localhost:2380", "Initial cluster configuration for restore bootstrap")
	fs.String("initial-cluster-token", "etcd-cluster", "Initial cluster token for the etcd cluster during restore bootstrap")
	fs.String("initial-advertise-peer-urls", "http://localhost:2380", "List of this member's peer URLs to advertise to the rest of the cluster")
	fs.Bool("skip-hash-check", false, "Ignore snapshot integrity hash value (required if copied from data directory)")
	restore.RunE = rt.run(snapshotRestore)
	return restore
}

// snapshotRestore builds a new member's data dir from a snapshot file
// (native/daemon/restore.go), with etcdctl's flags and defaults: the data
// dir defaults to <name>.etcd and must not exist.
func snapshotRestore(s *session, args []string) error {
	if err := exactArgs(args, 1, "snapshot restore requires exactly one argument"); err != nil {
		return err
	}
	fs := s.cmd.Flags()
	str := func(name string) string { v, _ := fs.GetString(name); return v }
	skip, _ := fs.GetBool("skip-hash-check")
	members, err := daemon.ParseInitialCluster(str("initial-cluster"))
	if err != nil {
		return ctl.WithCode(ctl.ExitBadArgs, err)
	}
	dataDir := str("data-dir")
	if dataDir == "" {
		dataDir = str("name") + ".etcd"
	}
	res, err := daemon.Restore(daemon.RestoreConfig{
		SnapshotPath: args[0], SkipHashCheck: skip, Name: str("name"), DataDir: dataDir,
		InitialCluster: members, ClusterToken: str("initial-cluster-token"),
		AdvertisePeerURLs: daemon.SplitURLs(str("initial-advertise-peer-urls")),
	})
	if err != nil {
		return ctl.WithCode(ctl.ExitError, err)
	}
	stderr := s.cmd.ErrOrStderr()
	if c := res.Converted; c != nil {
		fmt.Fprintf(stderr, "%s: %v\n", args[0], c)
		if c.AuthWasEnabled {
			fmt.Fprintln(stderr, "auth was enabled in etcd and is restored disabled: etcdlab cannot check etcd's bcrypt password hashes; give root and every user a new password (etcdlab user passwd NAME), then run etcdlab auth enable")
		} else if c.Users > 0 {
			fmt.Fprintln(stderr, "users keep etcd's bcrypt password hashes, which etcdlab cannot check: give each a new password (etcdlab user passwd NAME) before they log in")
		}
	}
	fmt.Fprintf(stderr, "restored snapshot %s into %s: member %x of new cluster %x, revision %d\n",
		args[0], dataDir, res.MemberID, res.ClusterID, res.Revision)
	return nil
}

// snapshotSave streams one member's snapshot into FILE.part, checks the
// SHA-256 trailer, syncs, and renames it to FILE. Without an explicit
// --command-timeout the download has no deadline (snapshots are large).
func snapshotSave(s *session, args []string) error {
	if err := exactArgs(args, 1, "snapshot save expects one argument"); err != nil {
		return err
	}
	if eps := s.endpoints(); len(eps) != 1 {
		return ctl.Exitf(ctl.ExitBadArgs, "snapshot must be requested to one selected node, not multiple %v", eps)
	}
	c, err := s.client()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(s.ctx)
	if s.fs.Changed("command-timeout") {
		ctx, cancel = s.commandCtx()
	}
	defer cancel()
	stream, err := c.Snapshot(ctx)
	if err != nil {
		return ctl.WithCode(ctl.ExitInterrupted, err)
	}
	defer stream.Close()
	path := args[0]
	if err := downloadVerified(stream, path+".part"); err != nil {
		os.Remove(path + ".part")
		return ctl.WithCode(ctl.ExitInterrupted, err)
	}
	if err := os.Rename(path+".part", path); err != nil {
		return ctl.WithCode(ctl.ExitInterrupted, fmt.Errorf("could not rename %s.part to %s (%v)", path, path, err))
	}
	fmt.Fprintf(s.cmd.OutOrStdout(), "Snapshot saved at %s\n", path)
	return nil
}

// downloadVerified copies the stream to path and checks its trailer.
func downloadVerified(stream io.Reader, path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0600)
	if err != nil {
		return err
	}
	defer f.Close()
	check := &trailerCheck{sum: sha256.New()}
	if _, err := io.Copy(io.MultiWriter(f, check), stream); err != nil {
		return fmt.Errorf("snapshot download failed: %v", err)
	}
	if !check.ok() {
		return fmt.Errorf("snapshot is corrupt: its SHA-256 trailer does not match its %d bytes (download again)", check.n)
	}
	return f.Sync()
}

// trailerCheck hashes everything but the last snapshotHashBytes it is
// given, and keeps those last bytes to compare at the end.
type trailerCheck struct {
	sum  hash.Hash
	tail []byte
	n    int64
}

func (t *trailerCheck) Write(p []byte) (int, error) {
	t.tail = append(t.tail, p...)
	if extra := len(t.tail) - snapshotHashBytes; extra > 0 {
		t.sum.Write(t.tail[:extra])
		t.n += int64(extra)
		t.tail = append(t.tail[:0], t.tail[extra:]...)
	}
	return len(p), nil
}

func (t *trailerCheck) ok() bool {
	return len(t.tail) == snapshotHashBytes && bytes.Equal(t.sum.Sum(nil), t.tail)
}

// readSnapshotStatus reads a snapshot file the way etcd's snapshot status
// does: a CRC-32C over each bucket's name and every key and value in it,
// the count of keys over all buckets, the newest revision (the main part
// of the last key of the "key" bucket: 8 bytes big endian) and the size
// bbolt reports. The file is opened read-only.
func readSnapshotStatus(path string) (ctl.SnapshotStatus, error) {
	var st ctl.SnapshotStatus
	if _, err := os.Stat(path); err != nil {
		return st, err
	}
	db, err := bolt.Open(path, 0400, &bolt.Options{ReadOnly: true})
	if err != nil {
		return st, fmt.Errorf("cannot open %s as a snapshot (%v)", path, err)
	}
	defer db.Close()
	crc := crc32.New(crc32.MakeTable(crc32.Castagnoli))
	err = db.View(func(tx *bolt.Tx) error {
		st.TotalSize = tx.Size()
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			crc.Write(name)
			return b.ForEach(func(k, v []byte) error {
				if string(name) == "key" && len(k) >= 8 {
					st.Revision = int64(binary.BigEndian.Uint64(k[:8]))
				}
				crc.Write(k)
				crc.Write(v)
				st.TotalKey++
				return nil
			})
		})
	})
	st.Hash = crc.Sum32()
	return st, err
}
