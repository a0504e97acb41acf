package supervision

import (
	"slices"
	"strings"
	"testing"
	"time"
)

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
