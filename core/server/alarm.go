package server

// Alarms: conditions that put the cluster into a limited mode until an
// operator disarms them (etcd: etcdserver/api/v3alarm). An alarm belongs to
// the member that raised it; raising and disarming go through Raft, so
// every member holds the same list, in bucket "alarm" (member ID + type).
// NOSPACE (quota.go) is the one this core raises; CORRUPT is accepted for
// the daemon's corruption checker.

import (
	"encoding/binary"
	"slices"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/raft"
)

const alarmBucket = "alarm"

// alarmStore is the list of raised alarms, sorted by member then type.
type alarmStore struct {
	list []AlarmMember
}

func loadAlarms(tx backend.ReadTx) *alarmStore {
	a := &alarmStore{}
	tx.ForEach(alarmBucket, func(k, v []byte) error {
		if len(k) != 9 {
			panic("server.loadAlarms: corrupt alarm key")
		}
		a.list = append(a.list, AlarmMember{MemberID: raft.NodeID(binary.BigEndian.Uint64(k)), Alarm: AlarmType(k[8])})
		return nil
	})
	return a
}

func alarmKey(am AlarmMember) []byte {
	return append(binary.BigEndian.AppendUint64(nil, uint64(am.MemberID)), byte(am.Alarm))
}

func cmpAlarm(a, b AlarmMember) int {
	if c := cmpID(a.MemberID, b.MemberID); c != 0 {
		return c
	}
	return int(a.Alarm) - int(b.Alarm)
}

// has reports whether any member raised an alarm of type t.
func (a *alarmStore) has(t AlarmType) bool {
	return slices.ContainsFunc(a.list, func(am AlarmMember) bool { return am.Alarm == t })
}

// get returns the alarms of type t (AlarmNone: all).
func (a *alarmStore) get(t AlarmType) []AlarmMember {
	var out []AlarmMember
	for _, am := range a.list {
		if t == AlarmNone || am.Alarm == t {
			out = append(out, am)
		}
	}
	return out
}

// activate raises am; it reports false if it was raised already.
func (a *alarmStore) activate(tx backend.WriteTx, am AlarmMember) bool {
	i, found := slices.BinarySearchFunc(a.list, am, cmpAlarm)
	if found {
		return false
	}
	a.list = slices.Insert(a.list, i, am)
	mustWrite(tx.Put(alarmBucket, alarmKey(am), []byte{1}))
	return true
}

// deactivate disarms am; it reports false if it was not raised.
func (a *alarmStore) deactivate(tx backend.WriteTx, am AlarmMember) bool {
	i, found := slices.BinarySearchFunc(a.list, am, cmpAlarm)
	if !found {
		return false
	}
	a.list = slices.Delete(a.list, i, i+1)
	mustWrite(tx.Delete(alarmBucket, alarmKey(am)))
	return true
}

// applyAlarm applies an AlarmRequest on every member (etcd:
// applierV3backend.Alarm).
func (m *Member) applyAlarm(tx backend.WriteTx, r AlarmRequest) Response {
	resp := &AlarmResponse{}
	am := AlarmMember{MemberID: r.MemberID, Alarm: r.Alarm}
	switch r.Action {
	case AlarmGet:
		resp.Alarms = m.alarms.get(r.Alarm)
	case AlarmActivate:
		if r.Alarm == AlarmNone {
			break
		}
		if m.alarms.activate(tx, am) {
			resp.Alarms = []AlarmMember{am}
			m.emit(Event{Kind: EvAlarmRaised, Peer: am.MemberID, Reason: am.Alarm.String()})
		}
		if r.MemberID == m.id && r.Alarm == AlarmNoSpace {
			m.raisingNoSpace = false
		}
	case AlarmDeactivate:
		if m.alarms.deactivate(tx, am) {
			resp.Alarms = []AlarmMember{am}
			m.emit(Event{Kind: EvAlarmDisarmed, Peer: am.MemberID, Reason: am.Alarm.String()})
		}
	}
	return Response{Alarm: resp}
}
