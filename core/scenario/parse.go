package scenario

// Parsing: a scenario is a list of commands, one per line. A line is split
// into words at spaces and tabs; `#` starts a comment that runs to the end
// of the line. Blank lines and comment lines are kept (the transcript
// repeats them, so a golden file reads like the scenario it came from).
// Parse checks each command's name and shape; what refers to the cluster —
// node names, message ids — is checked when the command runs.

import (
	"fmt"
	"strings"
)

// Command is one line of a scenario.
type Command struct {
	// Line is the 1-based line number in the source.
	Line int
	// Text is the line as written, without its trailing comment.
	Text string
	// Comment is the text after `#` (for comment-only and blank lines Name
	// is empty).
	Comment string
	// Name is the first word; Args the others.
	Name string
	Args []string
}

// IsNote reports whether the line is only a comment or blank.
func (c *Command) IsNote() bool { return c.Name == "" }

// Script is a parsed scenario.
type Script struct {
	Name     string
	Commands []*Command
}

// Error is a problem at one line of a scenario.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// Parse reads a scenario. name is used in error messages (the file name).
func Parse(name string, src []byte) (*Script, error) {
	s := &Script{Name: name}
	lines := strings.Split(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n")
	if n := len(lines); n > 0 && lines[n-1] == "" {
		lines = lines[:n-1]
	}
	for i, line := range lines {
		cmd := &Command{Line: i + 1}
		text := line
		if j := strings.IndexByte(line, '#'); j >= 0 {
			text, cmd.Comment = line[:j], strings.TrimSpace(line[j+1:])
		}
		cmd.Text = strings.TrimSpace(text)
		if words := strings.Fields(cmd.Text); len(words) > 0 {
			cmd.Name, cmd.Args = words[0], words[1:]
			spec, ok := commands[cmd.Name]
			if !ok {
				return nil, &Error{name, cmd.Line, fmt.Sprintf("unknown command %q (known: %s)", cmd.Name, commandNames())}
			}
			if err := spec.check(cmd.Args); err != nil {
				return nil, &Error{name, cmd.Line, fmt.Sprintf("%s: %v (usage: %s)", cmd.Name, err, spec.usage)}
			}
		}
		s.Commands = append(s.Commands, cmd)
	}
	return s, nil
}

// options splits words of the form key=value from the others; a key may
// appear once.
func options(words []string) (plain []string, opts map[string]string, err error) {
	opts = map[string]string{}
	for _, w := range words {
		k, v, ok := strings.Cut(w, "=")
		if !ok {
			plain = append(plain, w)
			continue
		}
		if _, dup := opts[k]; dup {
			return nil, nil, fmt.Errorf("option %s given twice", k)
		}
		opts[k] = v
	}
	return plain, opts, nil
}
