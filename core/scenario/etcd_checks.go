package scenario

// Syntax checks of etcd mode's commands, run by Parse before anything
// executes (the mode itself is only known once `cluster` runs, so the
// checks accept etcd's words everywhere and the handlers refuse them in
// the default mode).

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/etcdlab/etcdlab/core/sim"
)

// checkPut, checkGet and checkDel accept the default mode's words and
// etcdctl's flags.
func checkPut(args []string) error {
	body, tail := clientTail(args)
	if _, err := putRequest(body, syntaxOnly); err != nil {
		return err
	}
	return checkClient(0, false)(tail)
}

func checkGet(args []string) error {
	body, tail := clientTail(args)
	if _, err := rangeRequest(body); err != nil {
		return err
	}
	return checkClient(0, true)(tail)
}

func checkDel(args []string) error {
	body, tail := clientTail(args)
	if _, err := deleteRequest(body); err != nil {
		return err
	}
	return checkClient(0, false)(tail)
}

func checkTxnWords(args []string) error {
	body, tail := clientTail(args)
	if _, err := txnRequest(body, syntaxOnly); err != nil {
		return err
	}
	return checkClient(0, true)(tail)
}

// checkCompactAny accepts `compact NODE INDEX` and `compact REV [--physical]`.
func checkCompactAny(args []string) error {
	if len(args) == 2 && isNodeRef(args[0]) {
		return checkCompact(args)
	}
	_, rest, err := flags(args, compactFlags, valuedFlags)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return fmt.Errorf("write `compact REV` (etcd mode) or `compact NODE INDEX`")
	}
	if n, err := strconv.ParseInt(rest[0], 10, 64); err != nil || n < 1 {
		return fmt.Errorf("%q is not a revision", rest[0])
	}
	return nil
}

func checkDefrag(args []string) error {
	if err := checkArgs(0, 1)(args); err != nil || len(args) == 0 || args[0] == "all" {
		return err
	}
	return checkNode(args)
}

func checkHashKV(args []string) error {
	if err := checkArgs(1, 2)(args); err != nil {
		return err
	}
	if args[0] != "all" && !isNodeRef(args[0]) {
		return fmt.Errorf("%q is not a node (or all)", args[0])
	}
	if len(args) == 2 {
		if n, err := strconv.ParseInt(args[1], 10, 64); err != nil || n < 0 {
			return fmt.Errorf("%q is not a revision", args[1])
		}
	}
	return nil
}

func checkLease(args []string) error {
	body, tail := clientTail(args)
	if len(body) == 0 {
		return fmt.Errorf("needs grant, revoke, keep-alive, timetolive or list")
	}
	switch {
	case body[0] == "grant" && len(body) == 2:
		if n, err := strconv.ParseInt(body[1], 10, 64); err != nil || n < 1 {
			return fmt.Errorf("%q is not a TTL in seconds", body[1])
		}
	case body[0] == "list" && len(body) == 1:
	case (body[0] == "revoke" || body[0] == "keep-alive") && len(body) == 2:
		if err := checkLeaseRef(body[1]); err != nil {
			return err
		}
	case body[0] == "timetolive" && (len(body) == 2 || len(body) == 3 && body[2] == "--keys"):
		if err := checkLeaseRef(body[1]); err != nil {
			return err
		}
	default:
		return fmt.Errorf("write lease grant TTL | revoke ID | keep-alive ID | timetolive ID [--keys] | list")
	}
	return checkClient(0, false)(tail)
}

func checkAlarm(args []string) error {
	body, tail := clientTail(args)
	if len(body) != 1 || body[0] != "list" && body[0] != "disarm" {
		return fmt.Errorf("write alarm list or alarm disarm")
	}
	return checkClient(0, false)(tail)
}

func checkWatch(args []string) error {
	body, tail := clientTail(args)
	f, rest, err := flags(body, watchFlags, valuedFlags)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return fmt.Errorf("watch needs one KEY")
	}
	if v, ok := f["rev"]; ok {
		if n, err := strconv.ParseInt(v, 10, 64); err != nil || n < 1 {
			return fmt.Errorf("--rev=%s: want a revision", v)
		}
	}
	for _, w := range tail {
		if w == "async" || w == "serializable" {
			return fmt.Errorf("a watch takes only via NODE")
		}
	}
	return checkClient(0, false)(tail)
}

// etcdWord takes the word `etcd` (etcd mode) out of `cluster`'s words.
func etcdWord(plain []string) ([]string, bool) {
	var rest []string
	etcd := false
	for _, w := range plain {
		if w == "etcd" {
			etcd = true
			continue
		}
		rest = append(rest, w)
	}
	return rest, etcd
}

// etcdOptions reads etcd mode's cluster options (quota=,
// auto-compaction-mode=, auto-compaction-retention=, lease-checkpoint=);
// they need the word `etcd`.
func (p *optParser) etcdOptions(etcd bool) *sim.EtcdOptions {
	if !etcd {
		for _, k := range []string{"quota", "auto-compaction-mode", "auto-compaction-retention", "lease-checkpoint"} {
			if _, ok := p.kv[k]; ok && p.err == nil {
				p.err = fmt.Errorf("%s= needs etcd mode: write `cluster N etcd %s=...`", k, k)
			}
		}
		return nil
	}
	e := &sim.EtcdOptions{
		AutoCompactionMode:      p.kv["auto-compaction-mode"],
		AutoCompactionRetention: p.kv["auto-compaction-retention"],
		EnableLeaseCheckpoint:   p.onOff("lease-checkpoint", false),
	}
	if v, ok := p.kv["quota"]; ok {
		n, err := byteSize(v)
		if err != nil {
			p.fail("quota", v, "a size in bytes such as 65536, 64KiB or 2MiB")
		}
		e.QuotaBackendBytes = n
	}
	switch e.AutoCompactionMode {
	case "", "periodic", "revision":
	default:
		p.fail("auto-compaction-mode", e.AutoCompactionMode, "periodic or revision")
	}
	return e
}

// byteSize reads 65536, 64KiB or 2MiB.
func byteSize(v string) (int64, error) {
	mult := int64(1)
	for suffix, m := range map[string]int64{"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30} {
		if s, ok := strings.CutSuffix(v, suffix); ok {
			v, mult = s, m
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a size", v)
	}
	return n * mult, nil
}
