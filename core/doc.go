// Package core holds what every layer of etcdlab's core shares: the limits.
//
// The core is a library of state machines, never a program. Everything under
// core/ is pure, deterministic Go that builds for linux and for js/wasm:
//
//   - no goroutines, channels, locks, clocks, timers, sleeps, os, net or
//     syscall, no global randomness and no printing;
//   - time enters only as ticks (Tick) or an explicit logical clock value;
//   - randomness enters only as a seeded source handed in through config;
//   - nothing observable depends on Go's map iteration order.
//
// The caller does the I/O: the simulator (core/sim) in memory, the daemon
// (native/) on disk and on the network. purity_test.go enforces the rules.
//
// The packages, in dependency order (a package may use those to its left):
//
//	raft, backend -> mvcc -> lease, auth -> server -> sim -> scenario
package core
