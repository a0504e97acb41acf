package supervision

import (
	"slices"
	"strings"
	"testing"
	"time"
)

const (
	ms = time.Millisecond
	s  = time.Second
)

// TestFailoverScenarios drives whole scenarios through the policy and
// checks every change of the active input: when, to which input, and why.
func TestFailoverScenarios(t *testing.T) {
	standbyPair := FailoverConfig{Inputs: []FailoverInput{{}, {Standby: true}}}
	tests := []struct {
		name     string
		cfg      FailoverConfig
		until    time.Duration
		feeds    []feed
		extra    []Event
		want     []change
		switches int
	}{
		{
			// The primary stops delivering at 10 s (last frame 9.75 s)
			// and fails 3 s later. The on-demand backup is connected only
			// then; its frames before its first keyframe do not switch.
			name:  "timeout, on-demand backup takes over at its first keyframe",
			cfg:   FailoverConfig{Inputs: []FailoverInput{{}, {}}},
			until: 40 * s,
			feeds: []feed{
				{input: 0, from: 0, to: 10 * s},
				{input: 1, from: 13 * s, to: 40 * s, keyAt: 1200 * ms},
			},
			want: []change{
				{500 * ms, 0, CauseStart},
				{12750 * ms, -1, CauseFailed},
				{14250 * ms, 1, CauseFailover},
			},
			switches: 1,
		},
		{
			// A hot-standby backup delivers keyframes all along; they do
			// not outrank the healthy primary. A dead connection fails the
			// primary at once, and the backup's next keyframe takes over.
			name:  "dead connection is immediate, hot standby switches within a GOP",
			cfg:   standbyPair,
			until: 30 * s,
			feeds: []feed{
				{input: 0, from: 0, to: 10 * s},
				{input: 1, from: 0, to: 30 * s, keyAt: 750 * ms},
			},
			extra: []Event{{At: at(10 * s), Kind: EventDead, Input: 0, Why: "EOF"}},
			want: []change{
				{500 * ms, 0, CauseStart},
				{10 * s, -1, CauseFailed},
				{10750 * ms, 1, CauseFailover},
			},
			switches: 1,
		},
		{
			// 6 errors within the 2 s window fail the primary at 5.5 s.
			// It recovers a window later (7.5 s), and returns after
			// delivering steadily for ReturnAfter from its first frame
			// after that (7.75 s + 10 s), at its next keyframe (18.5 s).
			name: "error threshold fails the active input, then it returns",
			cfg: FailoverConfig{
				Inputs:         []FailoverInput{{}, {Standby: true}},
				ErrorThreshold: 5, ErrorWindow: 2 * s,
			},
			until: 40 * s,
			feeds: []feed{
				{input: 0, from: 0, to: 40 * s},
				{input: 1, from: 0, to: 40 * s, keyAt: 750 * ms},
			},
			extra: []Event{
				{At: at(5 * s), Kind: EventErrors, Input: 0, Count: 3},
				{At: at(5500 * ms), Kind: EventErrors, Input: 0, Count: 3},
			},
			want: []change{
				{500 * ms, 0, CauseStart},
				{5500 * ms, -1, CauseFailed},
				{6750 * ms, 1, CauseFailover},
				{18500 * ms, 0, CauseReturn},
			},
			switches: 2,
		},
		{
			// Errors spread wider than the window never add up.
			name: "errors below the threshold within any window do not fail",
			cfg: FailoverConfig{
				Inputs:         []FailoverInput{{}, {Standby: true}},
				ErrorThreshold: 5, ErrorWindow: 2 * s,
			},
			until: 20 * s,
			feeds: []feed{{input: 0, from: 0, to: 20 * s}, {input: 1, from: 0, to: 20 * s}},
			extra: []Event{
				{At: at(5 * s), Kind: EventErrors, Input: 0, Count: 4},
				{At: at(7 * s), Kind: EventErrors, Input: 0, Count: 4},
				{At: at(9 * s), Kind: EventErrors, Input: 0, Count: 4},
			},
			want: []change{{500 * ms, 0, CauseStart}},
		},
		{
			// The primary fails by timeout at 12.75 s and reconnects at
			// 20 s. Its keyframes from 20.5 s on do not switch until it
			// has delivered steadily for 10 s (since 20.25 s); the first
			// keyframe after that, at 30.5 s, does.
			name:  "return to primary after steady delivery, at a keyframe",
			cfg:   standbyPair,
			until: 60 * s,
			feeds: []feed{
				{input: 0, from: 0, to: 10 * s},
				{input: 0, from: 20 * s, to: 60 * s},
				{input: 1, from: 0, to: 60 * s, keyAt: 1 * s},
			},
			want: []change{
				{500 * ms, 0, CauseStart},
				{12750 * ms, -1, CauseFailed},
				{13 * s, 1, CauseFailover},
				{30500 * ms, 0, CauseReturn},
			},
			switches: 2,
		},
		{
			// ReturnAfter Never: the failed primary does not come back by
			// itself.
			name:  "return disabled",
			cfg:   FailoverConfig{Inputs: standbyPair.Inputs, ReturnAfter: Never},
			until: 60 * s,
			feeds: []feed{
				{input: 0, from: 0, to: 10 * s},
				{input: 0, from: 20 * s, to: 60 * s},
				{input: 1, from: 0, to: 60 * s, keyAt: 1 * s},
			},
			want: []change{
				{500 * ms, 0, CauseStart},
				{12750 * ms, -1, CauseFailed},
				{13 * s, 1, CauseFailover},
			},
			switches: 1,
		},
		{
			// The primary delivers for 5 s and freezes for 5 s, over and
			// over for two minutes: one failover, no switch storm.
			name:  "flapping primary does not cause a switch storm",
			cfg:   standbyPair,
			until: 120 * s,
			feeds: append(flapping(0, 0, 120*s, 5*s, 5*s),
				feed{input: 1, from: 0, to: 120 * s, keyAt: 1 * s}),
			want: []change{
				{500 * ms, 0, CauseStart},
				{7750 * ms, -1, CauseFailed},
				{9 * s, 1, CauseFailover},
			},
			switches: 1,
		},
		{
			// The standby backup is up first and takes over; the primary,
			// which has never failed, takes over at its first keyframe.
			name:  "start-up: a late primary takes over at its first keyframe",
			cfg:   standbyPair,
			until: 10 * s,
			feeds: []feed{
				{input: 1, from: 0, to: 10 * s, keyAt: 250 * ms},
				{input: 0, from: 2 * s, to: 10 * s, keyAt: 1 * s},
			},
			want: []change{
				{250 * ms, 1, CauseStart},
				{3 * s, 0, CauseReturn},
			},
			switches: 1,
		},
		{
			// Every input fails to connect: each is tried in turn, on
			// demand, 3 s apart; nothing is ever active.
			name:  "all inputs dead",
			cfg:   FailoverConfig{Inputs: []FailoverInput{{}, {}, {}}},
			until: 20 * s,
		},
		{
			// A disabled timeout never fails a frozen input.
			name:  "timeout disabled with false",
			cfg:   FailoverConfig{Inputs: standbyPair.Inputs, SourceTimeout: Never},
			until: 120 * s,
			feeds: []feed{{input: 0, from: 0, to: 10 * s}, {input: 1, from: 0, to: 120 * s}},
			want:  []change{{500 * ms, 0, CauseStart}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.cfg)
			h.run(tt.until, tt.feeds, tt.extra...)
			h.wantChanges(tt.want...)
			if got := h.p.Status().Switches; got != tt.switches {
				t.Errorf("Switches = %d, want %d", got, tt.switches)
			}
		})
	}
}

// flapping returns feeds for an input that delivers for up, freezes for
// down, and reconnects, from from to to.
func flapping(input int, from, to, up, down time.Duration) []feed {
	var out []feed
	for c := from; c < to; c += up + down {
		out = append(out, feed{input: input, from: c, to: min(c+up, to)})
	}
	return out
}

// TestFailoverFlappingBacksOff checks the hysteresis in numbers: each
// failure after delivering frames within FlapWindow doubles the steady
// delivery a primary needs before it returns, up to MaxReturnAfter, and
// old failures leave the window.
func TestFailoverFlappingBacksOff(t *testing.T) {
	cfg := FailoverConfig{Inputs: []FailoverInput{{}, {Standby: true}}}
	tests := []struct {
		name    string
		flaps   int           // 5 s up, 5 s down cycles before the primary stays up
		stayUp  time.Duration // when it reconnects for good
		wantRet time.Duration // when it returns (at a keyframe: stayUp + 0.5 s + 2 s k)
	}{
		// One flap: its failure at 7.75 s; steady from 10.25 s, due at
		// 20.25 s, keyframe at 20.5 s.
		{"one flap", 1, 10 * s, 20500 * ms},
		// Two flaps: 20 s from 20.25 s, due 40.25 s, keyframe 40.5 s.
		{"two flaps", 2, 20 * s, 40500 * ms},
		// Three flaps: 40 s from 30.25 s, due 70.25 s, keyframe 70.5 s.
		{"three flaps", 3, 30 * s, 70500 * ms},
		// Six flaps: capped at 60 s from 60.25 s; due 120.25 s,
		// keyframe 120.5 s.
		{"capped", 6, 60 * s, 120500 * ms},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, cfg)
			feeds := append(flapping(0, 0, tt.stayUp, 5*s, 5*s),
				feed{input: 0, from: tt.stayUp, to: 300 * s},
				feed{input: 1, from: 0, to: 300 * s, keyAt: 1 * s})
			h.run(300*s, feeds)
			last := h.changes[len(h.changes)-1]
			if want := (change{tt.wantRet, 0, CauseReturn}); last != want {
				t.Errorf("last change %v, want %v (all: %v)", last, want, h.changes)
			}
			if got := h.p.Status().Switches; got != 2 {
				t.Errorf("Switches = %d, want 2: one failover, one return", got)
			}
		})
	}
}

func TestFailoverAllDead(t *testing.T) {
	cfg := FailoverConfig{Inputs: []FailoverInput{{}, {}, {Backup: true}}}
	h := newHarness(t, cfg)
	if !slices.Equal(h.d.Connect, []int{0}) {
		t.Fatalf("Connect at start = %v, want [0]", h.d.Connect)
	}
	// Each on-demand input is asked only once the one above it failed.
	wantConnect := []struct {
		at   time.Duration
		want []int
	}{{2 * s, []int{0}}, {3 * s, []int{0, 1}}, {6 * s, []int{0, 1, 2}}, {9 * s, []int{0, 1, 2}}}
	for _, w := range wantConnect {
		h.run(w.at, nil)
		if !slices.Equal(h.d.Connect, w.want) {
			t.Errorf("Connect at %v = %v, want %v", w.at, h.d.Connect, w.want)
		}
	}
	st := h.p.Status()
	if !st.NoSource() || st.Active != -1 || st.Next != -1 {
		t.Errorf("status %+v: want no source", st)
	}
	for i, in := range st.Inputs {
		if in.State != HealthFailed || !strings.Contains(in.Reason, "not connected within 3s") {
			t.Errorf("input %d: %v %q, want failed for not connecting", i, in.State, in.Reason)
		}
	}
	if !h.d.NextCheck.IsZero() {
		t.Errorf("NextCheck = %v with everything failed, want zero", h.d.NextCheck.Sub(t0))
	}

	// A dead connection fails an input that had come back at once.
	h.step(10*s, EventConnected, 1)
	if h.p.Status().NoSource() {
		t.Errorf("input 1 connected: NoSource, want a source")
	}
	h.event(Event{At: at(10500 * ms), Kind: EventDead, Input: 1, Why: "connection reset"})
	if st := h.p.Status(); !st.NoSource() || st.Inputs[1].Reason != "connection reset" {
		t.Errorf("after a dead connection: %+v, want no source and the reason", st.Inputs[1])
	}
	// And one that delivers takes over at its keyframe.
	h.step(11*s, EventConnected, 2)
	h.step(11500*ms, EventFrames, 2)
	if h.d.Active != -1 || h.d.Next != 2 {
		t.Errorf("frames without keyframe: active %d next %d, want -1 and 2", h.d.Active, h.d.Next)
	}
	h.step(12*s, EventKeyframe, 2)
	if !h.d.Changed || h.d.Active != 2 || !h.d.Backup || h.d.Cause != CauseStart {
		t.Errorf("keyframe: %+v, want the backup input 2 active, marked backup", h.d)
	}
}

func TestFailoverStandbySet(t *testing.T) {
	cfg := FailoverConfig{Inputs: []FailoverInput{{}, {Standby: true}, {}, {Standby: true, Backup: true}}}
	h := newHarness(t, cfg)
	check := func(when string, want []int) {
		t.Helper()
		if !slices.Equal(h.d.Connect, want) {
			t.Errorf("%s: Connect = %v, want %v", when, h.d.Connect, want)
		}
	}
	check("start", []int{0, 1, 3})
	for _, i := range []int{0, 1, 3} {
		h.step(100*ms, EventConnected, i)
	}
	h.step(500*ms, EventKeyframe, 0)
	h.step(600*ms, EventKeyframe, 1)
	h.step(700*ms, EventKeyframe, 3)
	check("primary active, standbys live", []int{0, 1, 3})
	if h.d.Active != 0 {
		t.Fatalf("active %d, want 0", h.d.Active)
	}
	h.step(1*s, EventDead, 0)
	check("primary dead, standby 1 live", []int{0, 1, 3})
	h.step(1100*ms, EventKeyframe, 1)
	h.step(2*s, EventDead, 1)
	// Input 2 is on demand: asked only now, while standby 3 stays up.
	check("standby 1 dead too", []int{0, 1, 2, 3})
	h.step(2100*ms, EventKeyframe, 3)
	if h.d.Active != 3 || !h.d.Backup {
		t.Errorf("active %d backup %v, want the standby backup 3", h.d.Active, h.d.Backup)
	}
	if st := h.p.Status(); st.Inputs[2].State != HealthConnecting {
		t.Errorf("input 2 is %v, want connecting", st.Inputs[2].State)
	}
}

// TestFailoverSourceTimeout covers the stream's timeout, its default, its
// disabling and per-input overrides. The input connects at 0 and delivers
// one keyframe at 1 s, then nothing.
func TestFailoverSourceTimeout(t *testing.T) {
	tests := []struct {
		name       string
		stream     time.Duration
		input      time.Duration
		wantFailAt time.Duration // 0: never
	}{
		{"default 3 s", 0, 0, 4 * s},
		{"stream 5 s", 5 * s, 0, 6 * s},
		{"stream false", Never, 0, 0},
		{"input overrides stream", 5 * s, 1 * s, 2 * s},
		{"input enables what the stream disables", Never, 2 * s, 3 * s},
		{"input disables", 2 * s, Never, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := FailoverConfig{Inputs: []FailoverInput{{SourceTimeout: tt.input}}, SourceTimeout: tt.stream}
			h := newHarness(t, cfg)
			h.step(0, EventConnected, 0)
			h.step(1*s, EventKeyframe, 0)
			if tt.wantFailAt == 0 {
				if !h.d.NextCheck.IsZero() {
					t.Errorf("NextCheck = %v, want none", h.d.NextCheck.Sub(t0))
				}
				h.run(time.Hour, nil)
				if h.d.Active != 0 {
					t.Errorf("after an hour of silence: active %d, want 0", h.d.Active)
				}
				return
			}
			if got := h.d.NextCheck; !got.Equal(at(tt.wantFailAt)) {
				t.Errorf("NextCheck = %v, want %v", got.Sub(t0), tt.wantFailAt)
			}
			h.step(tt.wantFailAt-time.Nanosecond, EventTick, 0)
			if h.d.Active != 0 {
				t.Fatalf("just before the timeout: active %d, want 0", h.d.Active)
			}
			h.step(tt.wantFailAt, EventTick, 0)
			if h.d.Active != -1 || !h.d.Changed || !strings.Contains(h.d.Reason, "no frames for") {
				t.Errorf("at the timeout: %+v, want input 0 failed for silence", h.d)
			}
		})
	}
}

func TestOrder(t *testing.T) {
	tests := []struct {
		name string
		in   []FailoverInput
		want []int
	}{
		{"config order", []FailoverInput{{}, {}, {}}, []int{0, 1, 2}},
		{"priorities", []FailoverInput{{Priority: intp(3)}, {Priority: intp(1)}, {Priority: intp(2)}}, []int{1, 2, 0}},
		{"ties keep list order", []FailoverInput{{Priority: intp(1)}, {Priority: intp(1)}, {Priority: intp(0)}}, []int{2, 0, 1}},
		{"unset ranks as its index", []FailoverInput{{}, {Priority: intp(5)}, {}}, []int{0, 2, 1}},
		{"extreme priorities", []FailoverInput{{Priority: intp(1 << 62)}, {Priority: intp(-1 << 62)}}, []int{1, 0}},
		{"none", nil, []int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Order(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("Order = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestReturnDelay(t *testing.T) {
	c := FailoverConfig{}.withDefaults()
	never := FailoverConfig{ReturnAfter: Never}.withDefaults()
	tests := []struct {
		name    string
		c       FailoverConfig
		flapped bool
		recent  int
		want    time.Duration
		ok      bool
	}{
		{"never failed", c, false, 0, 0, true},
		{"failed long ago", c, true, 0, 10 * s, true},
		{"one recent", c, true, 1, 10 * s, true},
		{"two recent", c, true, 2, 20 * s, true},
		{"three recent", c, true, 3, 40 * s, true},
		{"capped", c, true, 9, 60 * s, true},
		{"return disabled", never, true, 1, 0, false},
		{"return disabled, never failed", never, false, 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.c.returnDelay(tt.flapped, tt.recent)
			if got != tt.want || ok != tt.ok {
				t.Errorf("returnDelay(%v, %d) = %v, %v; want %v, %v", tt.flapped, tt.recent, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestFailoverHugeErrorCounts: counter deltas of any size fail the input
// without overflowing, and it recovers a window later.
func TestFailoverHugeErrorCounts(t *testing.T) {
	h := newHarness(t, FailoverConfig{Inputs: []FailoverInput{{SourceTimeout: Never}}, ErrorWindow: 2 * s})
	h.step(0, EventConnected, 0)
	h.step(500*ms, EventKeyframe, 0)
	for _, d := range []time.Duration{1 * s, 1100 * ms} {
		h.event(Event{At: at(d), Kind: EventErrors, Input: 0, Count: 1 << 62})
	}
	if h.d.Active != -1 || !strings.Contains(h.d.Reason, "30 errors within 2s") {
		t.Fatalf("after huge error counts: %+v, want input 0 failed for errors", h.d)
	}
	if !h.d.NextCheck.Equal(at(3100 * ms)) {
		t.Errorf("NextCheck = %v, want 3.1s: when the last burst leaves the window", h.d.NextCheck.Sub(t0))
	}
	h.step(3100*ms, EventTick, 0)
	if st := h.p.Status(); st.Inputs[0].State != HealthLive {
		t.Errorf("a window after the last errors: %v, want live again", st.Inputs[0].State)
	}
	h.step(3200*ms, EventKeyframe, 0)
	h.wantChanges(change{500 * ms, 0, CauseStart}, change{1 * s, -1, CauseFailed}, change{3200 * ms, 0, CauseFailover})
}
