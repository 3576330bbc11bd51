package lessons

// Parsing a lesson file. The format (README.md has the full description):
//
//	+++                            front matter: key: value lines
//	title: Leader election
//	summary: How a cluster agrees on who leads.
//	minutes: 20
//	+++
//	Introduction in Markdown.
//
//	## The first step's title      every "## " heading starts a step
//	Narration in Markdown.
//	```scenario play=0.25          the step's scenario (core/scenario text)
//	cluster 3 seed=7
//	```
//	```task                        optional: what the student should do
//	do: Wait for a leader.
//	done: leader
//	solution: run until leader
//	```
//	```question                    optional: one multiple-choice question
//	Why ...?
//	- wrong answer
//	  -> feedback for it
//	- [x] the right answer
//	  -> feedback for it
//	```
//	```code                        optional: code anchors, one a line
//	core/raft/election.go:campaign — why to look there
//	```
//
// Fences of any other kind (```go, ```text) belong to the narration. Only
// the standard library is needed to read it, and the file still reads well
// as plain Markdown on GitHub.

import (
	"fmt"
	"strconv"
	"strings"
)

// Error is a problem at one line of a lesson file.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// block kinds that a step holds as data rather than narration.
var blockKinds = map[string]bool{"scenario": true, "task": true, "question": true, "code": true}

// lessonParser walks the lines of one lesson file.
type lessonParser struct {
	file  string
	lines []string
	at    int // index of the next line
}

func (p *lessonParser) errorf(line int, format string, args ...any) error {
	return &Error{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// Parse reads one lesson file. id is the lesson's folder name; file names
// the file in error messages. Parse checks the shape of the file; Validate
// checks what the file refers to (scenarios, conditions, answers).
func Parse(id, file string, src []byte) (*Lesson, error) {
	text := strings.ReplaceAll(string(src), "\r\n", "\n")
	p := &lessonParser{file: file, lines: strings.Split(text, "\n")}
	l := &Lesson{ID: id}
	if err := p.frontMatter(l); err != nil {
		return nil, err
	}
	intro, err := p.narration()
	if err != nil {
		return nil, err
	}
	l.Intro = intro.text
	for p.at < len(p.lines) {
		st, err := p.step()
		if err != nil {
			return nil, err
		}
		l.Steps = append(l.Steps, st)
	}
	if len(l.Steps) == 0 {
		return nil, p.errorf(len(p.lines), "a lesson needs at least one step (a \"## \" heading)")
	}
	fillScripts(l)
	render(l)
	return l, nil
}

// frontMatter reads the +++ block.
func (p *lessonParser) frontMatter(l *Lesson) error {
	if len(p.lines) == 0 || strings.TrimSpace(p.lines[0]) != "+++" {
		return p.errorf(1, "a lesson file starts with a +++ front matter block (title, summary, minutes)")
	}
	seen := map[string]bool{}
	for p.at = 1; p.at < len(p.lines); p.at++ {
		line := strings.TrimSpace(p.lines[p.at])
		if line == "+++" {
			p.at++
			return p.checkFrontMatter(l, seen)
		}
		if line == "" {
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			return p.errorf(p.at+1, "front matter: want key: value, got %q", line)
		}
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if seen[key] {
			return p.errorf(p.at+1, "front matter: %s given twice", key)
		}
		seen[key] = true
		switch key {
		case "title":
			l.Title = value
		case "summary":
			l.Summary = value
		case "minutes":
			n, err := strconv.Atoi(value)
			if err != nil || n <= 0 {
				return p.errorf(p.at+1, "front matter: minutes must be a positive number, got %q", value)
			}
			l.Minutes = n
		default:
			return p.errorf(p.at+1, "front matter: unknown key %q (known: title, summary, minutes)", key)
		}
	}
	return p.errorf(1, "front matter: no closing +++")
}

func (p *lessonParser) checkFrontMatter(l *Lesson, seen map[string]bool) error {
	for _, k := range []string{"title", "summary", "minutes"} {
		if !seen[k] {
			return p.errorf(1, "front matter: %s is missing", k)
		}
	}
	return nil
}

// section is narration text plus the data blocks found in it.
type section struct {
	text   string
	blocks []fencedBlock
}

type fencedBlock struct {
	kind string
	info []string // words after the kind
	body []string
	line int // line of the opening fence
}

// narration reads lines up to the next "## " heading (or the end), setting
// data blocks aside and keeping everything else as Markdown.
func (p *lessonParser) narration() (section, error) {
	var s section
	var text []string
	for p.at < len(p.lines) {
		line := p.lines[p.at]
		if strings.HasPrefix(line, "## ") {
			break
		}
		if !strings.HasPrefix(line, "```") {
			text = append(text, line)
			p.at++
			continue
		}
		b, err := p.fence()
		if err != nil {
			return s, err
		}
		if blockKinds[b.kind] {
			s.blocks = append(s.blocks, b)
			continue
		}
		text = append(text, p.lines[b.line-1])
		text = append(text, b.body...)
		text = append(text, "```")
	}
	s.text = strings.TrimSpace(strings.Join(text, "\n"))
	return s, nil
}

// fence reads one fenced block starting at the current line.
func (p *lessonParser) fence() (fencedBlock, error) {
	open := p.at
	words := strings.Fields(strings.TrimPrefix(p.lines[open], "```"))
	b := fencedBlock{line: open + 1}
	if len(words) > 0 {
		b.kind, b.info = words[0], words[1:]
	}
	for p.at = open + 1; p.at < len(p.lines); p.at++ {
		if strings.TrimSpace(p.lines[p.at]) == "```" {
			p.at++
			return b, nil
		}
		b.body = append(b.body, p.lines[p.at])
	}
	return b, p.errorf(open+1, "the ``` block opened here is never closed")
}

// step reads one "## " heading and everything up to the next.
func (p *lessonParser) step() (Step, error) {
	head := p.at
	st := Step{Title: strings.TrimSpace(strings.TrimPrefix(p.lines[head], "## ")), Line: head + 1}
	if st.Title == "" {
		return st, p.errorf(head+1, "a step heading needs a title")
	}
	p.at++
	s, err := p.narration()
	if err != nil {
		return st, err
	}
	st.Narration = s.text
	seen := map[string]int{}
	for _, b := range s.blocks {
		if first, dup := seen[b.kind]; dup {
			return st, p.errorf(b.line, "step %q has a second %s block (the first is at line %d)", st.Title, b.kind, first)
		}
		seen[b.kind] = b.line
		if err := p.stepBlock(&st, b); err != nil {
			return st, err
		}
	}
	if st.Narration == "" {
		return st, p.errorf(head+1, "step %q has no narration", st.Title)
	}
	return st, nil
}

func (p *lessonParser) stepBlock(st *Step, b fencedBlock) error {
	switch b.kind {
	case "scenario":
		return p.scenarioBlock(st, b)
	case "task":
		t, err := p.taskBlock(b)
		st.Task = t
		return err
	case "question":
		q, err := p.questionBlock(b)
		st.Question = q
		return err
	case "code":
		a, err := p.codeBlock(b)
		st.Anchors = a
		return err
	}
	panic("lessonParser.stepBlock: unknown block kind " + b.kind)
}

// scenarioBlock: the text, and options play=SPEED select=NODE on the fence.
func (p *lessonParser) scenarioBlock(st *Step, b fencedBlock) error {
	st.Scenario = strings.TrimSpace(strings.Join(b.body, "\n"))
	if st.Scenario == "" {
		return p.errorf(b.line, "empty scenario block")
	}
	for _, w := range b.info {
		key, value, _ := strings.Cut(w, "=")
		switch key {
		case "play":
			speed, err := strconv.ParseFloat(value, 64)
			if err != nil || speed <= 0 || speed > 10 {
				return p.errorf(b.line, "scenario: play wants a speed in (0, 10], got %q", value)
			}
			st.Play = speed
		case "select":
			st.Select = value
		default:
			return p.errorf(b.line, "scenario: unknown option %q (known: play=SPEED, select=NODE)", w)
		}
	}
	return nil
}
