// Package scenario is a small text language for driving the simulator
// (core/sim): tests, lessons, the step-through debugger and the CLI
// (`etcdlab sim run FILE`) all speak it. A scenario reads like a lab
// notebook:
//
//	# The leader crashes; a follower takes over.
//	cluster 3 seed=7
//	run until leader
//	put x 1
//	crash leader
//	run until leader
//	expect leader != n2
//
// Parse turns the text into commands with their line numbers and checks
// their syntax; a Runner executes them one at a time (Next), or one event of
// the simulator at a time (StepEvent), and writes a transcript: each
// command echoed after "> ", then what it printed, indented two spaces — the
// notable trace records it caused (role changes, votes, commits, snapshots,
// membership, faults, client answers; not individual messages), the
// results of expectations and what `show` shows. The transcript ends with a
// digest of the full trace ("trace: N records, fnv64 H"), so a golden file
// pins down every message too. Run executes a whole scenario.
//
// Errors name the file and line: a syntax error at parse time, and at run
// time an unknown node, a failed expectation (with the actual value), a
// `run until` that times out, or an invariant violation. An operating error
// of the cluster — crashing a node that is down, a membership change the
// leader refuses, a client request that fails — is printed as "error: ..."
// and kept for `expect error`; it does not stop the scenario.
//
// # Words
//
// Lines are split at blanks; `#` starts a comment to the end of the line.
// NODE is n1, n2, ... or a symbol resolved when the command runs: `leader`
// (the running node that leads the highest term) or `follower` (the
// lowest-numbered running follower). FROM->TO names one direction of a
// link. DURATION is a Go duration: 250ms, 2s, 1m. P is a probability: 0.1
// or 10%.
//
// # Commands
//
//	cluster N [etcd] [seed=S] [learners=K] [election=T] [heartbeat=T] [tick=D]
//	        [snapshot-count=N] [catch-up=N] [snapshot-chunk=B]
//	        [max-inflight=N] [prevote=on|off] [checkquorum=on|off]
//	        [timeout=D] [latency=D..D] [loss=P] [dup=P] [reorder=P]
//	        [quota=B] [auto-compaction-mode=periodic|revision]
//	        [auto-compaction-retention=R] [lease-checkpoint=on|off]
//	    Build the cluster: N voters n1..nN plus K learners after them,
//	    election/heartbeat in ticks (10/1), one tick every tick=100ms of
//	    virtual time, snapshot every snapshot-count applied entries keeping
//	    catch-up entries (etcd's defaults 100000/5000), snapshots streamed in
//	    chunks of snapshot-chunk bytes (64 KiB) with at most max-inflight
//	    appends in flight per follower (512), PreVote and
//	    CheckQuorum on by default, client timeout 5s, links of 1ms..5ms
//	    latency, reliable. Must come first, once. Invariants are always
//	    checked. The word `etcd` runs etcd mode (below); quota= (bytes,
//	    or 64KiB, 2MiB), auto-compaction-mode=, auto-compaction-retention=
//	    and lease-checkpoint= are etcd's --quota-backend-bytes,
//	    --auto-compaction-* and --experimental-enable-lease-checkpoint and
//	    need it; snapshot-chunk= and max-inflight= are not available in it.
//	net [FROM->TO] [latency=D..D] [loss=P] [dup=P] [reorder=P] [drift NODE=±X% ...]
//	    Change the model of every link (or of one direction of one link);
//	    unnamed settings keep their value. After `drift`, set clock drift:
//	    n2=+20% makes n2's clock 20% fast (its timers fire sooner); also
//	    -500ppm.
//	drift NODE=±X% ...
//	    The same as `net drift ...`.
//	run DURATION
//	    Advance virtual time by DURATION, carrying out every event due.
//	run until CONDITION [within DURATION]
//	    Advance until CONDITION holds (checked before every event); fail if
//	    it does not within DURATION (default 10s).
//	step [N]
//	    Carry out the next N events (default 1), printing each.
//	hold [FROM->TO ...]
//	    Stop delivering new messages (on every link, or on the links named):
//	    they wait in flight, marked held.
//	release
//	    End every hold; held messages leave with a fresh delay.
//	deliver mID | deliver FROM->TO [TYPE] | deliver all
//	    Deliver one in-flight message now, held or not: by id, or the oldest
//	    one matching FROM->TO (either side may be *) and message type
//	    (MsgApp or App); `all` delivers every message in flight.
//	drop mID | drop FROM->TO [TYPE]
//	    Lose one in-flight message.
//	duplicate mID | duplicate FROM->TO [TYPE]
//	    Put a copy of one in-flight message on the network.
//	crash NODE
//	    Stop the node: its disk survives, its memory does not.
//	restart NODE
//	    Boot the node from its disk.
//	partition NODE... | NODE... [| NODE...]
//	    Split the network into groups that cannot talk; unlisted nodes form
//	    one more group.
//	isolate NODE
//	    Cut the node off from every other.
//	cut FROM->TO
//	    Block one direction of one link.
//	heal [NODE | FROM->TO]
//	    Remove every partition and cut; or bring one node back into the
//	    main group (lifting its cuts); or lift one cut.
//	put KEY VALUE [via NODE] [async]
//	get KEY [serializable] [via NODE] [async]
//	delete KEY [via NODE] [async]
//	    (etcd mode adds etcdctl's flags: see below)
//	    A client request to NODE (default: the leader when it arrives). A
//	    write is answered when that node applies it; a get is linearizable
//	    (ReadIndex) unless serializable (local state, maybe stale). The
//	    command waits for the answer (or the timeout) unless async; the
//	    answer is printed as a `response` record.
//	member add NODE | member add-learner NODE | member promote NODE | member remove NODE
//	    Propose a membership change through the leader. add and
//	    add-learner start the new node first (empty disk). A removed node
//	    is stopped once its removal is applied.
//	transfer NODE
//	    Ask the leader to hand leadership to NODE.
//	campaign NODE
//	    Make NODE start an election now.
//	snapshot NODE
//	    Make NODE snapshot its state machine now (no compaction; in etcd
//	    mode the member's TakeSnapshot, which compacts the log behind it).
//	compact NODE INDEX
//	    Make NODE discard its log up to INDEX (at most its snapshot). Not
//	    in etcd mode, where the member keeps its own log; there `compact
//	    REV` compacts the key space (below).
//	expect CONDITION
//	    Fail unless CONDITION holds now; prints "ok".
//	show nodes | log [NODE] | data [NODE] | etcd [NODE] | pages [NODE] |
//	     messages | network | trace [N]
//	    Print the nodes, logs (index/term, conf and empty entries marked),
//	    state machines, the etcd view (revision, compact revision, sizes,
//	    alarms, keys with revisions and versions, leases with the time
//	    left), the backend's page map (M meta, F freelist, D buckets,
//	    B branch, L leaf, + overflow, . free, p pending), messages in
//	    flight, the network, or the last N (default 20) records of the
//	    full trace.
//
// # Conditions
//
// A condition is OBSERVABLE OP VALUE, with OP one of = != < <= > >=
// (blanks around OP are optional: `n1 role=leader`). Numbers compare as
// numbers, other text only with = and !=. A VALUE of two or more words that
// reads as an observable is observed too (`all applied = leader applied`);
// anything else is literal. The bare condition `leader` means `leader !=
// none`. Observables:
//
//	leader                  the leader's name, or none
//	term                    the highest term of any node
//	elections               how many times a node became leader so far
//	time                    the virtual time (1.234000s)
//	in-flight               messages in flight now
//	messages TYPE           messages of TYPE sent so far (MsgApp, MsgVote ...)
//	events KIND             trace records of KIND so far: a raft event
//	                        (role, vote-granted, committed, snapshot-installed,
//	                        conf-changed ...; see raft.EventKind) or a
//	                        simulator record (crash, restart, drop, response ...)
//	result                  the last client request's answer ("ok index=5",
//	                        "x=1 index=5", "x not found index=5", "error: ...")
//	value                   the value the last get found, or none
//	error                   the last operating error, or none
//	NODE FIELD              one field of a node:
//	    role                follower, pre-candidate, candidate, leader,
//	                        learner, down or removed
//	    term vote lead      (vote and lead: a node name or none)
//	    commit applied      indexes
//	    log-length first-index last-index snapshot-index
//	    up                  true or false
//	    data                the state machine: "a=1 b=2", or none
//	NODE progress|match|next PEER   the leader's view of PEER (state name,
//	                        Match, Next), or none
//	NODE get KEY            KEY in NODE's state machine, or none
//	all FIELD               holds if FIELD satisfies OP VALUE on every member
//	quorum FIELD            ... on a majority of the voters
//
// # Etcd mode
//
// `cluster N etcd` runs etcd itself on every node: a server.Member
// (core/server) with its key space on a backend that models bbolt's paged
// file, its leases, alarms and membership (core/sim, etcd_member.go). The
// commands above work as before — `put x 1` is a Put, `get` a Range,
// `delete` a DeleteRange, member changes go through the member's
// MemberAdd/Remove/Promote requests and wait for their answer — and print
// etcd's answers: `put foo bar` on a fresh cluster prints "OK
// revision=2"; errors carry etcd's messages ("etcdserver: mvcc: required
// revision has been compacted"). The trace adds the member's events
// (compacted, snapshot-taken, alarm-raised, lease-revoked, member-added
// ...; `applied` is in the full trace only) and what watches deliver.
// Commands, following etcdctl's verbs and flags:
//
//	put KEY VALUE [--lease=ID] [via NODE] [async]
//	put KEY --value-bytes=N ...
//	    Put KEY; --value-bytes puts N bytes of "x" (the scenario's own
//	    flag, to fill a backend).
//	get KEY [--prefix] [--rev N] [--limit N] [--keys-only] [serializable] [via NODE] [async]
//	    Range: KEY, or every key starting with KEY; at revision N (0: now);
//	    prints each key with its create and mod revision and version.
//	del KEY [--prefix] [via NODE] [async]
//	    DeleteRange; prints how many keys were deleted.
//	txn [if COMPARE [and COMPARE ...]] then OP[; OP ...] [else OP[; OP ...]] [via NODE] [async]
//	    A transaction on one line. COMPARE is value(KEY), version(KEY),
//	    create(KEY), mod(KEY) or lease(KEY), then = != < or >, then a value
//	    (quotes optional); OP is put, get or del with its flags. Prints
//	    SUCCESS or FAILURE and each operation's answer.
//	compact REV [--physical]
//	    Compact the key space's history at REV, on every member.
//	defrag [NODE | all]
//	    Defragment one member's backend, or every running member's (the
//	    default), one after the other; not replicated, as in etcd.
//	lease grant TTL | lease revoke ID | lease keep-alive ID |
//	lease timetolive ID [--keys] | lease list
//	    Lease calls (keep-alive sends one keep-alive, as etcdctl's
//	    --once). ID is the hex ID etcdctl prints, or Ln: the lease the n-th
//	    `lease grant` of the scenario was granted (it prints "Ln is lease
//	    ..."). Keep-alive and timetolive are answered by the leader only.
//	alarm list | alarm disarm
//	    List the alarms; disarm lists them, then disarms each (as etcdctl).
//	watch KEY [--prefix] [--rev N] [via NODE]
//	    Open watch wN on NODE (default: the leader now), from revision N
//	    (default: the next one). Its events appear in the transcript as the
//	    member delivers them; a snapshot install re-watches from the next
//	    revision (as clientv3 does), a crash of NODE ends the watch.
//	hashkv NODE|all [REV]
//	    Print the member's HashKV (etcd: Maintenance.HashKV) at REV (0:
//	    now), with its compact revision and revision.
//	snapshot save NAME [via NODE] | snapshot status NAME |
//	snapshot restore NAME NODE...
//	    Backup and restore (etcdctl snapshot save/status/restore): save
//	    NODE's backend (default: the leader) as the scenario's file NAME,
//	    with its SHA-256, and print its status (hash, revision, total keys,
//	    total size); restore starts a NEW cluster of the nodes named (new
//	    node numbers: member IDs are node numbers) from NAME — same keys
//	    and revision, new member IDs and cluster ID, a Raft log that starts
//	    over. Every member of the old cluster must be down. `snapshot NODE`
//	    is still the Raft snapshot above.
//
// Observables of etcd mode:
//
//	revision compact-revision   the leader's key space (none: no leader;
//	                            compact-revision -1: never compacted)
//	db-size db-size-in-use      the leader's backend file, in bytes
//	alarm                       the kinds of alarm raised ("NOSPACE"), or none
//	lease ID ttl                seconds left on the leader's countdown (-1:
//	                            no such lease)
//	watch events                events delivered to every watch so far;
//	                            `watch wN events` to one
//	NODE revision | compact-revision | db-size | db-size-in-use | keys | hashkv
//	                            one member's (also with all and quorum:
//	                            `expect all hashkv = n1 hashkv`)
//	NODE cluster-id | members   the cluster ID (hex) and the membership as
//	                            NODE applied it ("n1 n2 n3 n4(learner)")
//	snapshot NAME revision|hash|total-keys|total-size
//	                            the status of a file `snapshot save NAME`
//	                            wrote (none: no such file)
//	NODE version|create-revision|mod-revision KEY
//	                            KEY's version or revisions on NODE, or none
//	NODE get KEY, NODE data     the member's keys and values, as before
//	events KIND                 counts the member's events too (compacted,
//	                            lease-revoked, alarm-raised ...); in etcd
//	                            mode `events snapshot-installed` counts both
//	                            Raft's and the member's
//
// # Golden files
//
// TestScenarios runs every testdata/<topic>/NAME.scn and compares the
// transcript with NAME.golden beside it; `go test ./core/scenario/
// -rewrite` regenerates them. `make test-wasm` runs the same test under
// GOOS=js, so the goldens also prove that the browser produces the same
// trace.
package scenario
