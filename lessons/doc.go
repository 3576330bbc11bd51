// Package lessons holds etcdlab's lessons as data and checks them.
//
// A lesson is a folder (01-leader-election/) with one Markdown file,
// lesson.md: a small front matter, an introduction, and steps. Each step
// narrates, loads a scenario in the core/scenario language (or continues
// the previous step's), and may ask the student to do something on the
// cluster, ask a multiple-choice question, and point at the code it talks
// about by symbol. README.md in this folder describes the format for
// lesson authors.
//
//	lesson.md ──Parse──> Lesson ──Validate──> ok? ──JSON──> site/dist/lessons.json
//	                        │                                   │
//	                        └──Rehearse: run every step          └─> lesson page: load(step.script),
//	                           on core/sim, prove every task         next() to the end, check(done)
//
// # Basics
//
// The files are embedded (go:embed), so every binary that imports the
// package carries the lessons: All parses and validates them. Validate
// checks without running: every scenario and condition parses, every
// question has exactly one right answer and feedback for each choice.
// Rehearse runs every step on the simulator, where the `expect` lines of a
// step's scenario are the narration's claims ("n2 wins term 2"), and proves
// each task: it is not done when the step starts, and its solution does
// it. Resolve finds the code of an anchor with go/parser; the tests resolve
// every anchor, so that a rename in the code fails the lessons' tests
// instead of misleading a student.
//
// Lesson text is rendered to HTML here (markdown.go, a deliberately small
// subset), so the web pages need no Markdown library and the text is
// escaped in one place.
//
// # Caveats
//
//   - A step's starting state is rebuilt from its Script, the scenario text
//     from the last fresh `cluster` line; what the student did in earlier
//     steps does not carry over when the page reloads a step. Steps without
//     a scenario keep whatever the student has.
//   - "Not done before the task" is checked by `run until C within 1ns`
//     right after the script: a condition that becomes true in the very
//     next nanosecond of virtual time would be missed. No lesson script
//     ends that close to an event.
//   - The embedded package cannot read the repository, so anchors carry
//     their code only in the JSON written by cmd/lessons-json.
package lessons
