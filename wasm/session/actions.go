package session

// Actions of the page's controls that are more than one key: reloading the
// scenario with another seed, and dropping or delivering one message in
// flight. Whatever moves the cluster goes through Command, so it is one
// line of the scenario language, recorded in the journal and the
// transcript like anything typed.

import (
	"fmt"
	"strconv"
	"strings"
)

// SetSeed loads the scenario again with its `cluster` line's seed= set to
// seed (a `cluster 3 seed=S` line is added when the scenario has none).
// The new run starts from the beginning.
func (s *Session) SetSeed(seed uint64) error {
	return s.Load(withSeed(s.src, seed))
}

// withSeed rewrites the seed= word of src's `cluster` line, or puts a
// default cluster line with the seed after the leading comments.
func withSeed(src string, seed uint64) string {
	lines := strings.Split(src, "\n")
	word := "seed=" + strconv.FormatUint(seed, 10)
	firstCommand := len(lines)
	for i, l := range lines {
		code, _, _ := strings.Cut(l, "#")
		words := strings.Fields(code)
		if len(words) == 0 {
			continue
		}
		if words[0] != "cluster" {
			firstCommand = min(firstCommand, i)
			continue
		}
		kept := []string{}
		for _, w := range words {
			if !strings.HasPrefix(w, "seed=") {
				kept = append(kept, w)
			}
		}
		lines[i] = strings.Join(append(kept, word), " ")
		return strings.Join(lines, "\n")
	}
	lines = append(lines[:firstCommand], append([]string{DefaultCluster + " " + word}, lines[firstCommand:]...)...)
	return strings.Join(lines, "\n")
}

// DropMessage loses message id in flight (the scenario's `drop mID`).
func (s *Session) DropMessage(id uint64) Result {
	return s.messageCommand("drop", id)
}

// DeliverMessage delivers message id now (the scenario's `deliver mID`).
func (s *Session) DeliverMessage(id uint64) Result {
	return s.messageCommand("deliver", id)
}

func (s *Session) messageCommand(verb string, id uint64) Result {
	for _, m := range s.State().Messages {
		if m.ID == id {
			return s.Command(fmt.Sprintf("%s m%d", verb, id))
		}
	}
	return Result{Command: fmt.Sprintf("%s m%d", verb, id),
		Error: fmt.Sprintf("%s: message m%d is no longer in flight (it was delivered or dropped); pick one from state().messages", verb, id)}
}
