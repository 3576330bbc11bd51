package session

// The player: the animation clock and how it drives the simulator. The
// animation clock ("shown") is the virtual time the picture shows; while
// playing, every frame moves it by the frame's real duration times the
// speed, and the simulator carries out the events that fall due on the way
// — never more than MaxEventsPerFrame in one frame, so a frame never stalls
// (the animation lags instead, and catches up later).
//
// Time dilation. Messages take 1–5ms to cross a LAN, while election timeouts
// take a second or two: at one virtual second per real second a message
// would cross in less than a frame. So while a message is on its way, the
// clock slows to DilatedRate × speed (a 3ms message then takes about 0.6s
// to cross at speed 1), and runs at speed again once the wires are quiet.
// setView({"dilate": false}) turns this off for strict speed × real time.
//
// When the simulator moves without the player (step, next, a command), the
// picture follows: a step glides to its new time over a fraction of a
// second; a command, which may jump seconds ahead, is shown at once.

import (
	"time"

	"github.com/etcdlab/etcdlab/core/sim"
)

// Player limits.
const (
	// MaxEventsPerFrame bounds the simulator events carried out in one frame.
	MaxEventsPerFrame = 300
	// DilatedRate is the virtual time per real second while messages fly
	// (at speed 1).
	DilatedRate = 5 * time.Millisecond
	// MinSpeed and MaxSpeed bound play(speed).
	MinSpeed, MaxSpeed = 0.01, 100.0
	// glideSeconds sets how fast the picture catches up with the simulator
	// after a step: it covers dt/glideSeconds of the distance per frame.
	glideSeconds = 0.1
)

type player struct {
	playing bool
	speed   float64
	dilate  bool
	// shown is the animation clock; flyUntil the time the last message
	// sent so far arrives (messages fly while shown < flyUntil).
	shown, flyUntil time.Duration
}

func newPlayer() player { return player{speed: 1, dilate: true} }

// Play starts the animation at speed (a factor of real time; values out of
// range are clamped, zero or less keeps the current speed).
func (s *Session) Play(speed float64) {
	if speed > 0 {
		s.setSpeed(speed)
	}
	s.player.playing = true
	s.touch()
}

// Pause stops the animation.
func (s *Session) Pause() {
	s.player.playing = false
	s.touch()
}

// Playing reports whether the animation plays.
func (s *Session) Playing() bool { return s.player.playing }

// Speed is the play speed.
func (s *Session) Speed() float64 { return s.player.speed }

// Shown is the animation clock.
func (s *Session) Shown() time.Duration { return s.player.shown }

func (s *Session) setSpeed(speed float64) {
	s.player.speed = min(max(speed, MinSpeed), MaxSpeed)
	s.view.Speed = s.player.speed
}

// Advance moves the animation on by dt of real time (one frame) and returns
// how many simulator events it carried out. It also runs one command of a
// script started with RunScript.
func (s *Session) Advance(dt time.Duration) int {
	if s.script {
		s.scriptStep()
	}
	c := s.Cluster()
	if !s.player.playing || s.runner.Err() != nil || c.Err() != nil {
		s.glide(dt)
		return 0
	}
	if s.player.shown < c.Now() {
		s.glide(dt)
		return 0
	}
	events, budget, left := 0, MaxEventsPerFrame, dt.Seconds()
	var last time.Duration // the time of the last event carried out
	before := c.Now()
	for left > 1e-9 && budget > 0 {
		rate := s.rate()
		target := s.player.shown + time.Duration(left*rate*float64(time.Second))
		n, at, stopped, err := s.runTo(target, budget)
		events, budget = events+n, budget-n
		if n > 0 {
			last = at
		}
		if n > 0 {
			s.touch()
			s.scanTrace()
		}
		if err != nil {
			s.player.playing = false
			s.async = err.Error()
			break
		}
		if !stopped {
			s.player.shown = target
			break
		}
		used := (c.Now() - s.player.shown).Seconds() / rate
		s.player.shown = c.Now()
		left -= used
	}
	if c.Now() != before {
		s.touch() // the clock moved, even without an event: state().time changed
	}
	if events > 0 {
		s.journal.advance(events, last, c.Now())
	} else if c.Now() > s.journal.clock() {
		s.journal.advance(0, 0, c.Now())
	}
	return events
}

// runTo carries out the events due up to target, at most budget of them,
// stopping early (stopped) right after an event that wrote to the trace —
// a message sent, a role changed — so the caller can slow the clock. last
// is the time of the last event carried out.
func (s *Session) runTo(target time.Duration, budget int) (events int, last time.Duration, stopped bool, err error) {
	c := s.Cluster()
	if target < c.Now() {
		return 0, 0, false, nil
	}
	start, _ := c.TraceDigest()
	calls := 0
	stopped, err = c.RunUntil(func(c *sim.Cluster) bool {
		calls++
		last = c.Now() // the time of event calls-1 (after the first call)
		if calls-1 >= budget {
			return true
		}
		n, _ := c.TraceDigest()
		return n != start
	}, target-c.Now())
	if err != nil {
		last = c.Now() // RunUntil stopped right after the failing event
	}
	return calls - 1, last, stopped, err
}

// rate is the virtual time per real second now.
func (s *Session) rate() float64 {
	if s.player.dilate && s.player.shown < s.player.flyUntil {
		return s.player.speed * DilatedRate.Seconds()
	}
	return s.player.speed
}

// scanTrace reads the trace records not yet seen: the last notable one
// goes to the header, and every message sent pushes flyUntil to its due
// time.
func (s *Session) scanTrace() {
	for _, rec := range s.Cluster().Trace(s.seen) {
		switch {
		case rec.Notable():
			s.event = rec.String()
		case (rec.Kind == sim.RecSend || rec.Kind == sim.RecDuplicate) && !rec.Msg.Held:
			s.player.flyUntil = max(s.player.flyUntil, rec.Msg.Due)
		}
		s.seen = rec.Seq
	}
}

// rescanFlights recomputes flyUntil from the messages in flight (after a
// command, which may release held messages without a send record).
func (s *Session) rescanFlights() {
	s.player.flyUntil = 0
	for _, m := range s.State().Messages {
		if !m.Held {
			s.player.flyUntil = max(s.player.flyUntil, m.Due)
		}
	}
	s.scanTrace()
}

// glide moves the animation clock towards the simulator's, covering about
// dt/glideSeconds of the distance, and never past it.
func (s *Session) glide(dt time.Duration) {
	now := s.Cluster().Now()
	if s.player.shown >= now {
		s.player.shown = now
		return
	}
	f := min(dt.Seconds()/glideSeconds, 1)
	step := time.Duration(float64(now-s.player.shown)*f) + 10*time.Microsecond
	s.player.shown = min(s.player.shown+step, now)
}

// scriptStep runs one command of a script started with RunScript.
func (s *Session) scriptStep() {
	if s.nextCommand() == nil || s.runner.Err() != nil {
		s.script = false
		return
	}
	if res := s.Next(); !res.OK {
		s.script = false
		s.async = res.Error
	}
}
