package lessons

// Checking a lesson. Validate checks what a lesson refers to without
// running anything: every step's script and task parse as scenario text,
// every question has one right answer and feedback for each. Rehearse
// runs every step on the simulator: each script must run to its end (its
// `expect` lines are the narration's claims), each task must not be done
// before the student acts, and its solution must complete it.

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/etcdlab/etcdlab/core/scenario"
)

var (
	lessonID = regexp.MustCompile(`^[0-9]{2}-[a-z0-9]+(-[a-z0-9]+)*$`)
	nodeName = regexp.MustCompile(`^n[1-9][0-9]*$`)
)

// Validate checks a parsed lesson; the error names the step.
func Validate(l *Lesson) error {
	if !lessonID.MatchString(l.ID) {
		return fmt.Errorf("lesson %q: the folder name must read NN-words-with-dashes", l.ID)
	}
	if l.Steps[0].Scenario == "" || !startsFresh(l.Steps[0].Scenario) {
		return fmt.Errorf("lesson %s: the first step must start a cluster (its scenario begins with `cluster`)", l.ID)
	}
	for i := range l.Steps {
		if err := validateStep(l, i); err != nil {
			return fmt.Errorf("lesson %s, step %d %q (line %d): %w", l.ID, i+1, l.Steps[i].Title, l.Steps[i].Line, err)
		}
	}
	return nil
}

func validateStep(l *Lesson, i int) error {
	st := &l.Steps[i]
	name := scriptName(l, i)
	if _, err := scenario.Parse(name, []byte(st.Script)); err != nil {
		return err
	}
	if st.Select != "" && !nodeName.MatchString(st.Select) {
		return fmt.Errorf("select=%q is not a node name (n1, n2, ...)", st.Select)
	}
	if t := st.Task; t != nil {
		for _, c := range t.Done {
			if _, err := scenario.Parse(name+" done", []byte("expect "+c)); err != nil {
				return fmt.Errorf("task done condition: %w", err)
			}
		}
		if _, err := scenario.Parse(name+" solution", []byte(t.Solution)); err != nil {
			return fmt.Errorf("task solution: %w", err)
		}
	}
	if q := st.Question; q != nil {
		if err := validateQuestion(q); err != nil {
			return err
		}
	}
	for _, a := range st.Anchors {
		if !strings.HasSuffix(a.File, ".go") {
			return fmt.Errorf("anchor %s: anchors point into Go files", a)
		}
	}
	return nil
}

func validateQuestion(q *Question) error {
	if len(q.Answers) < 2 {
		return fmt.Errorf("question %q: needs at least two answers", q.Prompt)
	}
	correct := 0
	for _, a := range q.Answers {
		if a.Correct {
			correct++
		}
		if a.Feedback == "" {
			return fmt.Errorf("question %q: answer %q has no feedback (-> ...)", q.Prompt, a.Text)
		}
	}
	if correct != 1 {
		return fmt.Errorf("question %q: %d answers are marked [x]; exactly one must be", q.Prompt, correct)
	}
	return nil
}

func scriptName(l *Lesson, i int) string { return fmt.Sprintf("%s/step%d", l.ID, i+1) }

// Rehearse runs every step of a validated lesson on the simulator and
// returns the first failure, with the transcript up to it.
func Rehearse(l *Lesson) error {
	for i := range l.Steps {
		st := &l.Steps[i]
		name := scriptName(l, i)
		if out, err := scenario.Run(name, []byte(st.Script)); err != nil {
			return fmt.Errorf("step %d %q: %w\n%s", i+1, st.Title, err, out)
		}
		if st.Task == nil {
			continue
		}
		if doneAlready(name, st) {
			return fmt.Errorf("step %d %q: the task is already done before the student acts (%s)", i+1, st.Title, strings.Join(st.Task.Done, "; "))
		}
		after := st.Script + "\n" + st.Task.Solution
		for _, c := range st.Task.Done {
			after += "\nexpect " + c
		}
		if out, err := scenario.Run(name+" solution", []byte(after)); err != nil {
			return fmt.Errorf("step %d %q: the solution does not complete the task: %w\n%s", i+1, st.Title, err, out)
		}
	}
	return nil
}

// doneAlready reports whether every condition of the step's task holds
// right after its script. A condition is evaluated by `run until C within
// 1ns`, which succeeds only if C holds now (or within the next nanosecond
// of virtual time, which holds no event in these scripts).
func doneAlready(name string, st *Step) bool {
	for _, c := range st.Task.Done {
		probe := st.Script + "\nrun until " + c + " within 1ns"
		if _, err := scenario.Run(name+" probe", []byte(probe)); err != nil {
			return false
		}
	}
	return true
}
