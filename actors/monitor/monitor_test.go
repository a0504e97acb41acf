package monitor

import (
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"streamhive/actors/events"
	"streamhive/media/stats"
)

// scenario builds samples of one stream "cam" with two inputs.
type scenario struct {
	inputs [2]stats.Input
	alive  bool
	tc     *stats.Transcoder
	pushes []*stats.Push
	disks  []Disk
	cpu    float64
}

func healthy() scenario {
	return scenario{alive: true, inputs: [2]stats.Input{{State: "running", Bitrate: 2_000_000}, {State: "running"}}}
}

func (s scenario) sample(now time.Time) Sample {
	st := stats.Stream{Alive: s.alive, Inputs: s.inputs[:], Transcoder: s.tc, Pushes: s.pushes}
	return Sample{
		Time: now, Streams: map[string]stats.Stream{"cam": st}, Disks: s.disks, CPU: s.cpu,
		URLs: map[string][]string{"cam": {"rtmp://a/x", "srt://b:1"}},
	}
}

// TestEachRuleFiresAndClears provokes each rule: its alert fires once the
// condition has held for the rule's duration (not before), shows in
// Alerts, and clears as an event when the condition ends.
func TestEachRuleFiresAndClears(t *testing.T) {
	for _, tc := range []struct {
		rule    string
		provoke func(*scenario, int) // called at each step (second i)
		holdFor time.Duration
	}{
		{RuleInputErrors, func(s *scenario, i int) {
			s.inputs[0].TS = &stats.TS{CCErrors: int64(i) * 5} // 5 per 5 s: 60 a minute
		}, time.Minute},
		{RuleSourceLost, func(s *scenario, _ int) { s.inputs[1].State, s.inputs[1].LastError = "error", "eof" }, 10 * time.Second},
		{RuleAllInputsDown, func(s *scenario, _ int) {
			s.alive = false
			s.inputs[0].State, s.inputs[1].State = "error", "waiting"
		}, 10 * time.Second},
		{RuleTranscoderBehind, func(s *scenario, _ int) { s.tc = &stats.Transcoder{State: "running", Speed: 0.6} }, 30 * time.Second},
		{RuleDVRDiskFull, func(s *scenario, _ int) { s.disks = []Disk{{Path: "/dvr", Usage: 95, State: "ok"}} }, time.Minute},
		{RulePushFailing, func(s *scenario, _ int) {
			s.pushes = []*stats.Push{{State: "retry", Retries: 3, LastError: "refused"}}
		}, 30 * time.Second},
		{RuleServerOverload, func(s *scenario, _ int) { s.cpu = 0.97 }, time.Minute},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				bus := events.New(events.Options{})
				defer bus.Close()
				m := Start(Options{Interval: 1000 * time.Hour, Events: bus, Sample: func() Sample { return healthy().sample(time.Now()) }})
				defer m.Stop()
				start := time.Now()
				step := 0
				observe := func(provoked bool) {
					s := healthy()
					if provoked {
						tc.provoke(&s, step)
					}
					step++
					m.Observe(s.sample(time.Now()))
				}
				observe(false)
				for time.Since(start) < tc.holdFor {
					time.Sleep(5 * time.Second)
					observe(true)
					if time.Since(start) < tc.holdFor && len(m.Alerts()) > 0 {
						t.Fatalf("fired after %v, before %v", time.Since(start), tc.holdFor)
					}
				}
				time.Sleep(5 * time.Second)
				observe(true)
				if as := m.Alerts(); len(as) != 1 || as[0].Rule != tc.rule {
					t.Fatalf("alerts after %v: %+v", time.Since(start), as)
				}
				time.Sleep(5 * time.Second)
				observe(false)
				if as := m.Alerts(); len(as) != 0 {
					t.Fatalf("still firing: %+v", as)
				}
				var got []string
				for _, e := range bus.Recent(0, 100) {
					rule, _ := e.Get("alert")
					got = append(got, e.Event+" "+rule)
				}
				if want := []string{events.AlertFired + " " + tc.rule, events.AlertCleared + " " + tc.rule}; !slices.Equal(got, want) {
					t.Errorf("events %v, want %v", got, want)
				}
			})
		})
	}
}

// TestShortConditionFiresNothing: a condition that ends before its
// duration leaves no alert and no event.
func TestShortConditionFiresNothing(t *testing.T) {
	s := newAlertState()
	t0 := time.Unix(1000, 0)
	c := Condition{Rule: RuleSourceLost, Media: "cam", For: 10 * time.Second}
	for i := range 2 {
		if f, cl := s.step([]Condition{c}, t0.Add(time.Duration(i)*5*time.Second)); len(f)+len(cl) != 0 {
			t.Fatalf("step %d: %v %v", i, f, cl)
		}
	}
	if f, cl := s.step(nil, t0.Add(9*time.Second)); len(f)+len(cl) != 0 || len(s.pending) != 0 {
		t.Fatalf("cleared: %v %v, pending %v", f, cl, s.pending)
	}
	if f, _ := s.step([]Condition{c}, t0.Add(15*time.Second)); len(f) != 0 {
		t.Fatal("a condition that came back fired at once: its duration starts again")
	}
}

func TestHistory(t *testing.T) {
	var h History
	t0 := time.Unix(1_700_000_000, 0).Truncate(time.Minute)
	h.Add(t0, 1_000_000, 2)
	h.Add(t0.Add(30*time.Second), 3_000_000, 1) // same minute: averaged, summed
	h.Add(t0.Add(2*time.Minute), 500_000, 70_000)
	h.Add(t0.Add(time.Minute), 9_000_000, 9) // older than the head: dropped
	pts := h.Points(t0.Add(2 * time.Minute))
	if len(pts) != Minutes {
		t.Fatalf("%d points", len(pts))
	}
	last3 := pts[Minutes-3:]
	if *last3[0].Bitrate != 2_000_000 || last3[0].Errors != 3 || last3[0].Minute != t0.Unix() {
		t.Errorf("minute 0: %+v %d", last3[0], *last3[0].Bitrate)
	}
	if last3[1].Bitrate != nil || last3[1].Errors != 0 {
		t.Errorf("minute 1 has no sample: %+v", last3[1])
	}
	if *last3[2].Bitrate != 500_000 || last3[2].Errors != 65535 {
		t.Errorf("minute 2: %+v (errors saturate)", last3[2])
	}
	if pts[0].Bitrate != nil {
		t.Error("a minute before the first sample has a bitrate")
	}
	// A day later the old minutes are gone; the ring wraps.
	later := t0.Add(24*time.Hour + time.Minute)
	h.Add(later, 4_000_000, 0)
	pts = h.Points(later)
	if *pts[Minutes-1].Bitrate != 4_000_000 || pts[Minutes-2].Bitrate != nil {
		t.Errorf("after a day: %+v %+v", pts[Minutes-1], pts[Minutes-2])
	}
	for _, p := range pts[:Minutes-1] {
		if p.Bitrate != nil && p.Minute < later.Unix()-int64(Minutes*60) {
			t.Fatalf("a minute older than 24 h: %+v", p)
		}
	}
	if n := int(unsafeSizeof()); n > HistoryBytes {
		t.Errorf("History is %d bytes, documented %d", n, HistoryBytes)
	}
}

// TestMonitorHistory: the sampler's samples land in each input's history,
// errors as the counters' growth.
func TestMonitorHistory(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := healthy()
		m := Start(Options{Interval: 5 * time.Second, Sample: func() Sample {
			s.inputs[0].Failures++
			return s.sample(time.Now())
		}})
		time.Sleep(61 * time.Second)
		m.Stop()
		hs, ok := m.History("cam", time.Now())
		if !ok || len(hs) != 2 || hs[0].URL != "rtmp://a/x" {
			t.Fatalf("history %v %v", ok, hs)
		}
		var errs, with int
		for _, p := range hs[0].Points {
			errs += p.Errors
			if p.Bitrate != nil {
				with++
				if *p.Bitrate != 2_000_000 {
					t.Errorf("bitrate %d", *p.Bitrate)
				}
			}
		}
		if errs != 11 || with == 0 { // 12 samples, the first has no counter before it
			t.Errorf("errors %d, minutes with a bitrate %d", errs, with)
		}
		if _, ok := m.History("nope", time.Now()); ok {
			t.Error("a stream never sampled has a history")
		}
	})
}

// TestQuietStreams: a sleeping on-demand stream and a publish-only stream
// without its publisher raise no alert.
func TestQuietStreams(t *testing.T) {
	cur := Sample{Time: time.Unix(100, 0), Streams: map[string]stats.Stream{
		"sleeping": {State: "stopped", Inputs: []stats.Input{{State: "waiting"}}},
		"studio":   {State: "waiting", Inputs: []stats.Input{{State: "waiting"}}},
	}, URLs: map[string][]string{"sleeping": {"rtmp://a/x"}, "studio": {"publish://"}}}
	if c := DefaultRules().Conditions(nil, &cur); len(c) != 0 {
		t.Errorf("conditions %+v", c)
	}
}
