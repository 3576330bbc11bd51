// Package viz is the picture of a simulated cluster as plain data: the
// scene model the browser app draws. Build takes one sim.State (the
// cluster at an instant), the viewer's choices (View) and the animation
// clock, and returns a Scene — every node's place and look, every message
// in flight as a dot on its way, the log strips, the words around them —
// with nothing left for the renderer to decide. The renderer
// (viz/render, Ebitengine, js/wasm only) is a loop over the scene's lists.
//
// # Why a scene model
//
// Ebitengine's examples keep game state apart from drawing: Update
// advances the state at a fixed tick, Draw only reads and interpolates. Here
// the split goes one step further: everything that could be wrong in a
// picture — a node off screen, two nodes on top of each other, a message
// drawn on the wrong link or going the wrong way, a down node that looks
// alive, a log cell marked committed when it is not — is decided by pure
// functions tested without a screen, and the renderer holds no logic
// worth a test.
//
//	sim.State ---+
//	View --------+--> Build --> Scene --> render.Draw --> pixels
//	animation ---+    (pure)   (data)     (js/wasm)
//	clock
//
// # The picture
//
//	 etcdlab          time 3.140s   term 2   leader n2   playing ×1
//	 next: put x 1 (line 5)                     3.1s n2 committed index=7
//	+--------------------------------+----------------------------------+
//	|           term 2               | Logs     5  6  7  8              |
//	|            (n1)                | o n1    [1][2][2][2]             |
//	|        .--App×1-->.            | o n2    [1][2][2][2]|            |
//	|     (n3)          (n2)         | o n3    [1][2]                   |
//	|   follower       leader        |  commit 6 · leader sees match 6  |
//	|   learners:  ((n4))            |                                  |
//	+--------------------------------+----------------------------------+
//	 Space play/pause · → step · n next · 1–9 select · ? help
//
// In etcd mode the cluster takes less room and the etcd panels of one
// member (the selected one, else the leader) sit under the logs: its keys
// on a revision axis (keyspace.go), its backend file page by page
// (pagemap.go), the leases draining and the watches (leases.go); see
// etcd.go for their picture.
//
// Nodes: voters on a circle, learners apart under it (layout.go); the fill
// and the written role say the role, a dashed outline a node that is down,
// an arc the election timer (node.go). Links: faint lines, red and dashed
// where a partition or a cut blocks them (link.go). Messages: dots on the
// lane to the right of their direction of travel, a fraction (now − sent) /
// (due − sent) along it; the colour is the conversation, a hollow dot the
// reply (message.go). Logs: one row per node, one column per index, so
// matching logs line up (logstrip.go). Text sizes scale with the window
// (FontSize), so the same scene reads on a laptop and on a projector.
// When the leader's commit index advances, the voters whose match reached
// it get a ring and a spoke to the leader for a moment (quorum.go). A
// clicked message gets a ring and a card of its fields (selection.go).
//
// # Colour
//
// The palette is Okabe and Ito's, distinguishable under the common colour
// vision deficiencies, and colour is never the only cue: roles are written,
// replies are hollow, blocked links are dashed and crossed, terms are
// numbers in the log cells, membership changes have a marked corner.
//
// # Deviations
//
//   - Text widths are estimated (0.56 em a character), not measured: the
//     scene has no font. Layout leaves slack for it.
//   - The membership drawn is the one of the running node with the highest
//     commit index; while it has not applied a change yet, a node may be
//     drawn on the circle a moment longer than the leader counts it.
//   - Messages to or from a node that is not in the state (never the case
//     with core/sim) are not drawn.
//   - The quorum drawn is the voters whose match index is at or past the
//     commit index when the frame is built. Drawn as the commit advances
//     that is the set that made it; a follower that catches up later
//     joins the set although it took no part.
//   - The keys panel shows each key's changes still held in the member's
//     key index (sim.EtcdState.History), not their values; a deleted key
//     shows only while its tombstone is held. Leases are named by their
//     hex id (the scenario's L1, L2 are the runner's aliases). The watches
//     panel shows each watch's last 8 events at most (sim.WatchState
//     keeps no more; the trace has them all), values cut to 24 characters.
package viz
