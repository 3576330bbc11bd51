package lessons

// The data blocks of a step: task, question and code. Each is a few lines
// of plain text with a tiny grammar (parse.go shows all of them together);
// errors point at the block's line in the lesson file.

import (
	"strings"
)

// taskBlock reads "key: value" lines; an indented line continues the value
// above it. do, done and solution are required; done may repeat (every
// condition must hold) and so may solution (one scenario line each).
func (p *lessonParser) taskBlock(b fencedBlock) (*Task, error) {
	t := &Task{}
	var last *string
	for i, line := range b.body {
		n := b.line + 1 + i
		if strings.TrimSpace(line) == "" {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if last == nil {
				return nil, p.errorf(n, "task: an indented line continues a key above it, and there is none")
			}
			*last += "\n" + strings.TrimSpace(line)
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, p.errorf(n, "task: want key: value (do, done, hint, solution), got %q", line)
		}
		value = strings.TrimSpace(value)
		switch strings.TrimSpace(key) {
		case "do":
			t.Do, last = value, &t.Do
		case "done":
			t.Done, last = append(t.Done, value), nil
		case "hint":
			t.Hint, last = value, &t.Hint
		case "solution":
			t.Solution = strings.TrimPrefix(t.Solution+"\n"+value, "\n")
			last = nil
		default:
			return nil, p.errorf(n, "task: unknown key %q (known: do, done, hint, solution)", key)
		}
	}
	switch {
	case t.Do == "":
		return nil, p.errorf(b.line, "task: do: is missing (what should the student do?)")
	case len(t.Done) == 0:
		return nil, p.errorf(b.line, "task: done: is missing (the scenario condition that checks it)")
	case t.Solution == "":
		return nil, p.errorf(b.line, "task: solution: is missing (scenario lines that complete it, for the test)")
	}
	return t, nil
}

// questionBlock reads a prompt, then answers "- text" or "- [x] text"; the
// lines "-> feedback" under an answer say what the student is told.
// Indented lines continue the answer or feedback above them.
func (p *lessonParser) questionBlock(b fencedBlock) (*Question, error) {
	q := &Question{}
	var prompt []string
	var cur *string
	for i, raw := range b.body {
		n := b.line + 1 + i
		line := strings.TrimSpace(raw)
		switch {
		case strings.HasPrefix(raw, "- "):
			a := Answer{Text: strings.TrimSpace(raw[2:])}
			if rest, ok := strings.CutPrefix(a.Text, "[x]"); ok {
				a.Text, a.Correct = strings.TrimSpace(rest), true
			}
			q.Answers = append(q.Answers, a)
			cur = &q.Answers[len(q.Answers)-1].Text
		case strings.HasPrefix(line, "->"):
			if len(q.Answers) == 0 {
				return nil, p.errorf(n, "question: feedback (->) before any answer (- ...)")
			}
			a := &q.Answers[len(q.Answers)-1]
			a.Feedback = strings.TrimSpace(a.Feedback + "\n" + strings.TrimSpace(line[2:]))
			cur = &a.Feedback
		case len(q.Answers) == 0:
			prompt = append(prompt, raw)
		case line == "":
		default:
			*cur += "\n" + line
		}
	}
	q.Prompt = strings.TrimSpace(strings.Join(prompt, "\n"))
	if q.Prompt == "" {
		return nil, p.errorf(b.line, "question: the prompt (lines before the first answer) is empty")
	}
	return q, nil
}

// codeBlock reads anchors, one a line: FILE:SYMBOL, optionally followed by
// " — note" (or " - note").
func (p *lessonParser) codeBlock(b fencedBlock) ([]Anchor, error) {
	var out []Anchor
	for i, raw := range b.body {
		line := strings.TrimSpace(raw)
		if line == "" {
			continue
		}
		ref, note := line, ""
		for _, sep := range []string{" — ", " - "} {
			if r, n, ok := strings.Cut(line, sep); ok {
				ref, note = strings.TrimSpace(r), strings.TrimSpace(n)
				break
			}
		}
		file, sym, ok := strings.Cut(ref, ":")
		if !ok || file == "" || sym == "" || strings.ContainsAny(sym, " \t") {
			return nil, p.errorf(b.line+1+i, "code: want FILE:SYMBOL [— note], got %q", line)
		}
		out = append(out, Anchor{File: file, Symbol: sym, Note: note})
	}
	if len(out) == 0 {
		return nil, p.errorf(b.line, "code: empty block")
	}
	return out, nil
}

// fillScripts computes each step's Script: a fresh scenario stands alone; a
// continuing one follows the previous step's script; a step without a
// scenario inherits its predecessor's (the page keeps the cluster as is
// when the student walks forward, and rebuilds it from Script on a jump).
func fillScripts(l *Lesson) {
	prev := ""
	for i := range l.Steps {
		st := &l.Steps[i]
		switch {
		case st.Scenario == "":
			st.Script = prev
		case startsFresh(st.Scenario) || prev == "":
			st.Script = st.Scenario
		default:
			st.Script = prev + "\n" + st.Scenario
		}
		prev = st.Script
	}
}

// startsFresh reports whether a scenario's first command is `cluster`.
func startsFresh(scn string) bool {
	for _, line := range strings.Split(scn, "\n") {
		if j := strings.IndexByte(line, '#'); j >= 0 {
			line = line[:j]
		}
		if words := strings.Fields(line); len(words) > 0 {
			return words[0] == "cluster"
		}
	}
	return false
}
