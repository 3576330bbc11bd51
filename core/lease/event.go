package lease

// Trace events: what the lessor did, as typed data for the visualizer, the
// debugger and invariant checkers (STYLE.md rule 6). The caller stamps them
// with its clock and member; the lessor only says what happened.

import "fmt"

// EventKind names what happened.
type EventKind uint8

const (
	EvGranted      EventKind = iota // Lease was granted with TTLSeconds
	EvRevoked                       // Lease was revoked and Count keys deleted
	EvRenewed                       // a keep-alive restarted Lease's countdown at TTLSeconds
	EvExpired                       // the primary offered Lease for revoke (its TTL ran out)
	EvCheckpointed                  // a checkpoint set Lease's remaining TTL to TTLSeconds
	EvPromoted                      // the lessor became primary; Count leases now count down
	EvDemoted                       // the lessor stopped being primary; leases held forever
)

var eventNames = [...]string{
	"granted", "revoked", "renewed", "expired", "checkpointed", "promoted", "demoted",
}

func (k EventKind) String() string {
	if int(k) < len(eventNames) {
		return eventNames[k]
	}
	return fmt.Sprintf("EventKind(%d)", k)
}

// Event is one entry of the trace. Only the fields its Kind names are set.
type Event struct {
	Kind       EventKind
	Lease      LeaseID
	TTLSeconds int64
	Count      int
}

// String renders an event in one stable line, as golden traces store it.
func (e Event) String() string {
	s := e.Kind.String()
	if e.Lease != NoLease {
		s += " lease=" + e.Lease.String()
	}
	if e.Kind == EvGranted || e.Kind == EvRenewed || e.Kind == EvCheckpointed {
		s += fmt.Sprintf(" ttl=%ds", e.TTLSeconds)
	}
	switch e.Kind {
	case EvRevoked:
		s += fmt.Sprintf(" keys=%d", e.Count)
	case EvPromoted:
		s += fmt.Sprintf(" leases=%d", e.Count)
	}
	return s
}

// record appends e to the trace, if the config asks for one.
func (l *Lessor) record(e Event) {
	if l.cfg.RecordEvents {
		l.events = append(l.events, e)
	}
}

// TakeEvents returns the events since the last call and forgets them.
func (l *Lessor) TakeEvents() []Event {
	out := l.events
	l.events = nil
	return out
}
