package lessons

// A lesson as data: the types every other file of the package fills, checks
// or exports. A Lesson is a list of Steps; a step narrates, loads (or
// continues) a scenario, and may ask the student to do something (a Task,
// checked with a scenario condition) and a multiple-choice Question, and
// may point at the code it talks about (Anchors, by symbol).

// Lesson is one lesson folder, parsed.
type Lesson struct {
	// ID is the folder name, e.g. "01-leader-election"; lessons sort by it.
	ID      string `json:"id"`
	Title   string `json:"title"`
	Summary string `json:"summary"`
	// Minutes is the expected time to work through the lesson.
	Minutes int `json:"minutes"`
	// Intro is the Markdown before the first step; IntroHTML its rendering.
	Intro     string `json:"intro"`
	IntroHTML string `json:"introHTML"`
	Steps     []Step `json:"steps"`
}

// Step is one screen of a lesson.
type Step struct {
	Title         string `json:"title"`
	Narration     string `json:"narration"`
	NarrationHTML string `json:"narrationHTML"`
	// Scenario is the step's own scenario text ("" to keep the cluster as
	// the previous step left it). If its first command is `cluster`, the
	// step starts a fresh cluster; otherwise it continues the previous
	// step's scenario.
	Scenario string `json:"scenario"`
	// Script is the full scenario that rebuilds this step's starting state:
	// Scenario itself when it is fresh, else the previous step's Script
	// followed by Scenario. The page loads Script and runs it to the end.
	Script string `json:"script"`
	// Line is where the step's heading is in the lesson file.
	Line int `json:"line"`
	// Play is the speed to animate at once the script ran (0: stay paused).
	Play float64 `json:"play"`
	// Select is a node to highlight once the script ran ("" for none).
	Select   string    `json:"select,omitempty"`
	Task     *Task     `json:"task,omitempty"`
	Question *Question `json:"question,omitempty"`
	Anchors  []Anchor  `json:"anchors,omitempty"`
}

// Task asks the student to act on the cluster.
type Task struct {
	// Do is the instruction (Markdown); DoHTML its rendering.
	Do     string `json:"do"`
	DoHTML string `json:"doHTML"`
	// Done are scenario conditions (`leader != n2`, `term > 2`): the task
	// is complete when the app's check() is true for every one of them.
	Done []string `json:"done"`
	// Hint helps a student who is stuck (Markdown).
	Hint     string `json:"hint,omitempty"`
	HintHTML string `json:"hintHTML,omitempty"`
	// Solution is scenario text that completes the task from the step's
	// starting state; Rehearse runs it to prove the task can be done (and
	// that Done does not already hold before it).
	Solution string `json:"solution"`
}

// Question is a multiple-choice check with exactly one correct answer.
type Question struct {
	Prompt     string   `json:"prompt"`
	PromptHTML string   `json:"promptHTML"`
	Answers    []Answer `json:"answers"`
}

// Answer is one choice and what the student is told on picking it.
type Answer struct {
	Text         string `json:"text"`
	TextHTML     string `json:"textHTML"`
	Correct      bool   `json:"correct"`
	Feedback     string `json:"feedback"`
	FeedbackHTML string `json:"feedbackHTML"`
}

// Anchor points at the code a step is about, by symbol: "core/raft/
// election.go:campaign" names a function or method (Type.method to tell
// methods apart), a type, or a package-level const or var. Never a line
// number: a test resolves every anchor, so a rename breaks the build of
// the lessons, not the student's trust.
type Anchor struct {
	// File is relative to the module root; Symbol is Name or Type.Name.
	File   string `json:"file"`
	Symbol string `json:"symbol"`
	// Note says in a few words why to look there.
	Note string `json:"note,omitempty"`
	// Code is the symbol's source with its doc comment, filled in by
	// Resolve (the JSON generator does; the embedded package cannot read
	// the repository).
	Code string `json:"code,omitempty"`
}

// String is the anchor as written in a lesson: FILE:SYMBOL.
func (a Anchor) String() string { return a.File + ":" + a.Symbol }
