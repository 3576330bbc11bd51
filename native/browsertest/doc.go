// Package browsertest drives the real web site in a real browser: Debian's
// Chromium, headless, with WebGL through SwiftShader, controlled over the
// DevTools protocol by chromedp. It serves site/dist (built by `make
// site`), opens the leader election lesson, waits for the wasm app, steps
// the simulation with the page's own buttons until a leader exists, crashes
// the leader with a real click, watches a new leader win, saves a
// screenshot whose canvas must not be blank, and measures the frame rate
// with 7 nodes and a few hundred messages in flight and the time from page
// load to the first frame. The measurements are logged (go test -v), never
// asserted: they depend on the machine.
//
// lessons_walk_test.go walks EVERY step of every lesson in lessons.json:
// the step loads without an error (page, app, console), each task is not
// done on arrival and is done after its solution is typed into the command
// box and the cluster stepped, and each question answers every choice with
// its feedback. The playground, link and debugger tests cover the other
// pages.
//
// The test skips, saying why, when Chromium or site/dist is missing. `make
// test` builds site/dist first and CI (.ci/run) installs Chromium, so there
// it always runs. ETCDLAB_CHROMIUM overrides the browser's path,
// ETCDLAB_SITE_DIR the built site's.
package browsertest
