package supervision

import (
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
			// The primary's own return_after (4 s) beats the stream's
			// 10 s: after it reconnects at 20 s (steady since 20.25 s) it
			// returns at its first keyframe from 24.25 s on.
			name: "per-input return_after",
			cfg: FailoverConfig{Inputs: []FailoverInput{
				{ReturnAfter: 4 * s}, {Standby: true},
			}},
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
				{24500 * ms, 0, CauseReturn},
			},
			switches: 2,
		},
		{
			// The stream's threshold (5) would fail the primary at 5.5 s;
			// the primary's own (20) does not.
			name: "per-input error threshold overrides the stream's",
			cfg: FailoverConfig{
				Inputs:         []FailoverInput{{ErrorThreshold: 20}, {Standby: true}},
				ErrorThreshold: 5, ErrorWindow: 2 * s,
			},
			until: 20 * s,
			feeds: []feed{{input: 0, from: 0, to: 20 * s}, {input: 1, from: 0, to: 20 * s}},
			extra: []Event{
				{At: at(5 * s), Kind: EventErrors, Input: 0, Count: 3},
				{At: at(5500 * ms), Kind: EventErrors, Input: 0, Count: 3},
			},
			want: []change{{500 * ms, 0, CauseStart}},
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
