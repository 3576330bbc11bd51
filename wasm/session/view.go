package session

// The viewer's side: which node is selected, what is shown, the keys of the
// canvas, and the scene of the current frame.

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/sim"
	"github.com/etcdlab/etcdlab/viz"
)

// Select highlights node id ("n2"); "" or "none" clears the selection.
// An id that names no node clears it too.
func (s *Session) Select(id string) {
	s.view.Selected = raft.None
	if n, ok := parseNode(id); ok {
		for _, ns := range s.State().Nodes {
			if ns.ID == n {
				s.view.Selected = n
			}
		}
	}
	s.touch()
}

// Selected is the selected node (raft.None if none).
func (s *Session) Selected() raft.NodeID { return s.view.Selected }

// ParseNode reads a node name ("n2").
func ParseNode(id string) (raft.NodeID, bool) { return parseNode(id) }

func parseNode(id string) (raft.NodeID, bool) {
	if !strings.HasPrefix(id, "n") {
		return raft.None, false
	}
	n, err := strconv.ParseUint(id[1:], 10, 8)
	if err != nil || n == 0 {
		return raft.None, false
	}
	return raft.NodeID(n), true
}

// ViewOptions is setView()'s argument; absent fields keep their value.
type ViewOptions struct {
	ShowMessages *bool    `json:"showMessages"`
	ShowLog      *bool    `json:"showLog"`
	Speed        *float64 `json:"speed"`
	Help         *bool    `json:"help"`
	Dilate       *bool    `json:"dilate"`
}

// SetView applies display options given as JSON.
func (s *Session) SetView(js string) error {
	var o ViewOptions
	if err := json.Unmarshal([]byte(js), &o); err != nil {
		return fmt.Errorf(`setView: want JSON such as {"showMessages":true,"showLog":false,"speed":0.5}: %v`, err)
	}
	if o.ShowMessages != nil {
		s.view.ShowMessages = *o.ShowMessages
	}
	if o.ShowLog != nil {
		s.view.ShowLog = *o.ShowLog
	}
	if o.Speed != nil && *o.Speed > 0 {
		s.setSpeed(*o.Speed)
	}
	if o.Help != nil {
		s.view.Help = *o.Help
	}
	if o.Dilate != nil {
		s.player.dilate = *o.Dilate
	}
	s.touch()
	return nil
}

// View is the current display options.
func (s *Session) View() viz.View { return s.view }

// Scene is the frame to draw on a w x h canvas.
func (s *Session) Scene(w, h float64) *viz.Scene {
	v := s.view
	v.Width, v.Height = w, h
	v.Playing, v.Speed = s.player.playing, s.player.speed
	if cmd := s.nextCommand(); cmd != nil {
		v.Next = fmt.Sprintf("%s   (line %d)", cmd.Text, cmd.Line)
	}
	v.Event = s.event
	v.Error = s.failure
	if err := s.Cluster().Err(); err != nil {
		v.Error = err.Error()
	}
	return viz.Build(s.State(), v, s.player.shown)
}

// Key carries out the action of a key pressed on the canvas and reports
// whether the key has one. Names follow the DOM's KeyboardEvent.key:
// " ", ".", "ArrowRight", "ArrowLeft" or "Backspace" (one move back), "n",
// "1".."9", "c", "r", "t", "i", "f" (force an election timeout: campaign),
// "h", "m", "l", "+", "-", "?", "Escape".
func (s *Session) Key(key string) bool {
	switch key {
	case " ":
		if s.player.playing {
			s.Pause()
		} else {
			s.Play(0)
		}
	case ".", "ArrowRight":
		s.Step()
	case "ArrowLeft", "Backspace":
		s.Back(1)
	case "n":
		s.Next()
	case "h":
		s.Command("heal")
	case "m":
		s.view.ShowMessages = !s.view.ShowMessages
	case "l":
		s.view.ShowLog = !s.view.ShowLog
	case "+", "=":
		s.setSpeed(s.player.speed * 2)
	case "-":
		s.setSpeed(s.player.speed / 2)
	case "?":
		s.view.Help = !s.view.Help
	case "Escape":
		s.view.Help, s.view.Selected = false, raft.None
	default:
		return s.nodeKey(key)
	}
	s.touch()
	return true
}

// nodeKey handles the keys that select a node or act on the selected one.
func (s *Session) nodeKey(key string) bool {
	if len(key) == 1 && key[0] >= '1' && key[0] <= '9' {
		s.Select("n" + key)
		return true
	}
	verb := map[string]string{"c": "crash", "r": "restart", "t": "transfer", "i": "isolate", "f": "campaign"}[key]
	if verb == "" {
		return false
	}
	if s.view.Selected == raft.None {
		s.failure = "select a node first: click it or press its number"
		s.touch()
		return true
	}
	res := s.Command(verb + " " + sim.Name(s.view.Selected))
	s.failure = res.Error
	return true
}
