package scenario

// Backup and restore in etcd mode, after etcdctl's snapshot verbs:
//
//	snapshot save NAME [via NODE]     NODE's backend (default: the leader) into
//	                                  the scenario's file NAME, with its SHA-256
//	snapshot status NAME              hash, revision, total keys, total size
//	snapshot restore NAME NODE...     a NEW cluster of the nodes named, from NAME:
//	                                  same keys and revision, new member IDs,
//	                                  new cluster ID (core/sim etcd_backup.go)
//
// `snapshot NODE` — a Raft snapshot of one node's state machine now — is the
// same command word; this file tells the forms apart. The files live in the
// runner, like files on the operator's machine: a crash or a restore of
// the cluster does not touch them.

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/sim"
)

const snapshotUsage = "snapshot NODE | snapshot save NAME [via NODE] | snapshot status NAME | snapshot restore NAME NODE..."

// checkSnapshotAny checks every form of the snapshot command.
func checkSnapshotAny(args []string) error {
	if len(args) == 1 && isNodeRef(args[0]) {
		return checkNode(args)
	}
	if len(args) < 2 {
		return fmt.Errorf("write %s", snapshotUsage)
	}
	if err := checkFileName(args[1]); err != nil {
		return err
	}
	switch verb, rest := args[0], args[2:]; verb {
	case "save":
		if len(rest) == 0 || len(rest) == 2 && rest[0] == "via" && isNodeRef(rest[1]) {
			return nil
		}
		return fmt.Errorf("write snapshot save NAME [via NODE]")
	case "status":
		return checkArgs(2, 2)(args)
	case "restore":
		if len(rest) == 0 {
			return fmt.Errorf("snapshot restore needs the nodes of the new cluster: snapshot restore NAME n4 n5 n6")
		}
		for _, w := range rest {
			if _, err := nodeNumber(w); err != nil {
				return fmt.Errorf("snapshot restore: %v", err)
			}
		}
		return nil
	}
	return fmt.Errorf("unknown snapshot action %q (save, status, restore, or a node)", args[0])
}

// checkFileName accepts a snapshot file name: a word that is not a flag.
func checkFileName(w string) error {
	if strings.HasPrefix(w, "-") {
		return fmt.Errorf("%q is not a file name", w)
	}
	return nil
}

// runSnapshotAny runs the form of the snapshot command that args hold.
func runSnapshotAny(r *Runner, cmd *Command) error {
	if len(cmd.Args) == 1 {
		return runSnapshot(r, cmd)
	}
	if err := r.needEtcd(cmd); err != nil {
		return err
	}
	switch cmd.Args[0] {
	case "save":
		return runSnapshotSave(r, cmd.Args[1], cmd.Args[2:])
	case "status":
		b, err := r.backup(cmd.Args[1])
		if err == nil {
			printBackupStatus(r, cmd.Args[1], b)
		}
		r.operating(err)
		return nil
	}
	return runSnapshotRestore(r, cmd.Args[1], cmd.Args[2:])
}

// runSnapshotSave saves a member's backend as file name (etcdctl snapshot
// save against one endpoint: the leader unless `via NODE`).
func runSnapshotSave(r *Runner, name string, tail []string) error {
	id := r.cluster.Leader()
	if len(tail) == 2 {
		var err error
		if id, err = r.node(tail[1]); err != nil {
			return err
		}
	}
	if id == raft.None {
		r.operating(fmt.Errorf("no leader to take the snapshot from: name a member with `via NODE`"))
		return nil
	}
	b, err := r.cluster.SaveSnapshot(id)
	r.operating(err)
	if err != nil {
		return nil
	}
	if r.backups == nil {
		r.backups = map[string]*sim.Backup{}
	}
	r.backups[name] = b
	r.flush()
	r.printf("Snapshot saved at %s", name)
	printBackupStatus(r, name, b)
	return nil
}

// printBackupStatus prints what etcdctl snapshot status shows.
func printBackupStatus(r *Runner, name string, b *sim.Backup) {
	r.printf("%s: hash=%08x revision=%d total-keys=%d total-size=%d (from %s)",
		name, b.Hash, b.Revision, b.TotalKeys, b.TotalSize, sim.Name(b.From))
}

// runSnapshotRestore starts a new cluster of the nodes named from file name.
func runSnapshotRestore(r *Runner, name string, nodes []string) error {
	b, err := r.backup(name)
	if err != nil {
		r.operating(err)
		return nil
	}
	ids := make([]raft.NodeID, len(nodes))
	for i, w := range nodes {
		n, _ := nodeNumber(w)
		ids[i] = raft.NodeID(n)
	}
	err = r.cluster.RestoreSnapshot(b, ids)
	r.operating(err)
	if err != nil {
		return nil
	}
	r.flush()
	st := r.cluster.State()
	for _, ns := range st.Nodes {
		for _, id := range ids {
			if ns.ID == id && ns.Etcd != nil {
				r.printf("restored %s into %s: member %x of new cluster %x, revision %d",
					name, ns.Name, uint64(id), ns.Etcd.ClusterID, ns.Etcd.Revision)
			}
		}
	}
	return nil
}

// backup is the file name saved earlier in this scenario.
func (r *Runner) backup(name string) (*sim.Backup, error) {
	if b, ok := r.backups[name]; ok {
		return b, nil
	}
	saved := make([]string, 0, len(r.backups))
	for n := range r.backups {
		saved = append(saved, n)
	}
	sort.Strings(saved)
	if len(saved) == 0 {
		return nil, fmt.Errorf("stat %s: no such file or directory (save one first: snapshot save %s)", name, name)
	}
	return nil, fmt.Errorf("stat %s: no such file or directory (saved so far: %s)", name, strings.Join(saved, " "))
}

// backupFields are the observables of a saved file: `snapshot NAME FIELD`.
var backupFields = map[string]bool{"revision": true, "hash": true, "total-keys": true, "total-size": true}

// backupField reads one field of what `snapshot status NAME` prints, or
// none if no such file was saved.
func (r *Runner) backupField(name, field string) string {
	b, ok := r.backups[name]
	if !ok {
		return "none"
	}
	switch field {
	case "revision":
		return strconv.FormatInt(b.Revision, 10)
	case "hash":
		return fmt.Sprintf("%08x", b.Hash)
	case "total-keys":
		return strconv.Itoa(b.TotalKeys)
	}
	return strconv.FormatInt(b.TotalSize, 10)
}
