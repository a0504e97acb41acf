package supervision

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

// script is a failover scenario decoded from fuzz bytes: a configuration
// and a sequence of actions.
type script struct {
	cfg     FailoverConfig
	actions []action
}

// action is an event, or a Select or Release by hand, after dt.
type action struct {
	dt     time.Duration
	kind   EventKind
	manual manual
	input  int
	count  int
}

// manual is an operator's action instead of an event.
type manual uint8

const (
	noManual manual = iota
	selectInput
	releaseInput
)

// byteReader hands out bytes, then zeros.
type byteReader []byte

func (r *byteReader) next() int {
	if len(*r) == 0 {
		return 0
	}
	b := (*r)[0]
	*r = (*r)[1:]
	return int(b)
}

// pickDuration maps a byte to a setting: mostly small, sometimes 0 (the
// default) or Never.
func pickDuration(b int) time.Duration {
	switch b % 8 {
	case 0:
		return 0
	case 1:
		return Never
	}
	return time.Duration(b%40+1) * 250 * time.Millisecond
}

func decodeScript(data []byte) script {
	r := byteReader(data)
	n := r.next()%4 + 1
	var sc script
	for range n {
		b := r.next()
		in := FailoverInput{SourceTimeout: pickDuration(r.next()), Backup: b&1 != 0, Standby: b&2 != 0}
		if b&4 != 0 {
			p := b >> 4
			in.Priority = &p
		}
		sc.cfg.Inputs = append(sc.cfg.Inputs, in)
	}
	sc.cfg.SourceTimeout = pickDuration(r.next())
	sc.cfg.ReturnAfter = pickDuration(r.next())
	sc.cfg.SteadyGap = pickDuration(r.next())
	sc.cfg.ErrorThreshold = r.next()%6 - 1
	sc.cfg.ErrorWindow = pickDuration(r.next())
	sc.cfg.FlapWindow = time.Duration(r.next()) * time.Second
	for len(r) > 0 {
		b, c := r.next(), r.next()
		a := action{dt: time.Duration(c) * 50 * time.Millisecond, input: (b >> 4) % (n + 1), count: c % 7}
		if a.input == n && c%2 == 1 {
			a.input = -1 // out of range both ways
		}
		switch k := b % 16; {
		case k < 6:
			a.kind = EventKind(k)
		case k < 10:
			a.kind = EventKeyframe // keyframes matter most: make them common
		case k < 13:
			a.kind = EventFrames
		case k < 15:
			a.manual = selectInput
		default:
			a.manual = releaseInput
		}
		sc.actions = append(sc.actions, a)
	}
	return sc
}

// runScript plays sc and returns its decisions, or the first broken
// invariant.
func runScript(sc script) ([]FailoverDecision, error) {
	p := NewFailover(sc.cfg, t0)
	d := p.Current()
	out := []FailoverDecision{d}
	now := t0
	switches := 0
	for i, a := range sc.actions {
		now = now.Add(a.dt)
		switch a.manual {
		case selectInput:
			d, _ = p.Select(a.input, now)
		case releaseInput:
			d = p.Release(now)
		case noManual:
			d = p.Step(Event{At: now, Kind: a.kind, Input: a.input, Count: a.count})
		}
		out = append(out, d)
		if err := checkInvariants(p, d); err != nil {
			return out, fmt.Errorf("action %d %+v: %w", i, a, err)
		}
		// An input becomes active only at its own keyframe.
		if d.Changed && d.Active >= 0 && (a.manual != noManual || a.kind != EventKeyframe || a.input != d.Active) {
			return out, fmt.Errorf("action %d %+v made input %d active", i, a, d.Active)
		}
		st := p.Status()
		if st.Switches < switches {
			return out, fmt.Errorf("action %d: Switches went down from %d to %d", i, switches, st.Switches)
		}
		switches = st.Switches
	}
	return out, nil
}

// checkScript runs sc twice: the invariants hold, and the policy is a
// function of its events (the same script gives the same decisions).
func checkScript(t *testing.T, data []byte) {
	t.Helper()
	sc := decodeScript(data)
	first, err := runScript(sc)
	if err != nil {
		t.Fatalf("%v\nconfig %+v", err, sc.cfg)
	}
	again, _ := runScript(sc)
	if !reflect.DeepEqual(first, again) {
		t.Fatalf("two runs of one script decided differently")
	}
}

// FuzzFailover: random configurations and event sequences never panic,
// never make a failed input active, next or pinned, and switch only at
// keyframes.
func FuzzFailover(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0x11, 4, 0x16, 4, 0x13, 20, 0x05, 40})
	f.Add([]byte{3, 3, 8, 0, 9, 4, 2, 1, 1, 0, 2, 3, 0x06, 1, 0x17, 1, 0x26, 2, 0x04, 100, 0x0e, 1, 0x2f, 1})
	f.Fuzz(checkScript)
}

// TestFailoverRandomScripts runs the fuzz property over a fixed set of
// pseudo-random scripts, so every `go test` exercises it.
func TestFailoverRandomScripts(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		data := make([]byte, 8+rng.IntN(200))
		for i := range data {
			data[i] = byte(rng.UintN(256))
		}
		checkScript(t, data)
	}
}
