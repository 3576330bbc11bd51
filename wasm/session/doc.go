// Package session is the brain behind the browser app's JS bridge: one
// simulated cluster driven by a scenario runner, an animation clock that
// plays it, a journal that can rebuild it from a URL, and the viewer's
// choices. It is plain Go — no syscall/js, no Ebitengine — so every call of
// the bridge is tested natively; wasm/ only wires it to JavaScript and to
// the frame loop.
//
//	page --etcdlab.next()/command()/...--> bridge (wasm/) --> Session
//	Ebitengine Update --Advance(1/60 s)--> Session --> sim events
//	Ebitengine Draw   --Scene(w, h)------> Session --> viz.Build
//
// # Two ways time moves
//
// Scenario commands (next(), command(), runScript()) run to completion at
// once: `run 2s` carries out two seconds of events before the call
// returns, and the picture jumps. The player moves time smoothly: while
// playing, each frame advances the animation clock by the frame's duration
// times the speed, slowed down while messages fly (player.go), carrying out
// at most MaxEventsPerFrame events. step() carries out one event and the
// picture glides to it.
//
// # Positions are reproducible
//
// The simulator is deterministic, so a position is the scenario text plus
// the journal of what was done (journal.go). URL() encodes both in a URL
// fragment; Restore() replays them into a fresh session and swaps it in.
//
// # Deviations from the bridge contract
//
//   - command("put ...") appends `async` (the contract's "pending"); an
//     operating error of a command (crash a node that is down) makes ok
//     false with the error, while the command still counts as run.
//   - A failed `expect` or `run until` in next() is reported (ok false, the
//     error) and the session carries on with the next command; only an
//     invariant violation ends the run.
//   - Additions: runScript(), transcript(), setView({"help", "dilate"}),
//     state().shownNanos/seed/playing/speed/selected/next/failed/requests,
//     per-node voters/learners/logOmitted/diskEntries/snapshotTerm, trace
//     records' kind/node/notable.
package session
