package main

import (
	"fmt"
	"strings"
	"time"

	"streamhive/chaos"
)

// result is one scenario's row.
type result struct {
	name, what, bar string
	gap             time.Duration // server: longest pause in frames leaving stream a's hub
	recovery        time.Duration // server: fault to frames flowing again
	view            chaos.Measure // stream a's viewer
	other           chaos.Measure // stream b's viewer
	notes           []string
	failures        []string
}

func (r *result) fail(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

func (r *result) note(format string, args ...any) {
	r.notes = append(r.notes, fmt.Sprintf(format, args...))
}

func (r *result) pass() bool { return len(r.failures) == 0 }

// judge applies the bars every scenario shares: stream a's output gap,
// recovery, picture hole and viewer stall within bar, no reload for its
// viewer, stream b untouched.
func (r *result) judge(bar time.Duration, reloadsAllowed bool) {
	if r.gap > bar+slack {
		r.fail("stream a paused %v, bar %v (+%v measurement slack)", r.gap.Round(time.Millisecond), bar, slack)
	}
	if r.recovery > bar+slack {
		r.fail("stream a recovered %v after the fault, bar %v (+%v)", r.recovery.Round(time.Millisecond), bar, slack)
	}
	// What a viewer sees counts too: a hole in the picture's timeline (the
	// server may keep sending audio while video is missing) and how far
	// the output fell behind the wall clock. A restart (reloads allowed)
	// starts a new timeline, so it has no bar on them.
	if !reloadsAllowed && r.view.MediaGap > bar+slack {
		r.fail("stream a's picture has a hole of %v, bar %v (+%v)", r.view.MediaGap.Round(time.Millisecond), bar, slack)
	}
	if !reloadsAllowed && r.view.Stall > bar+slack {
		r.fail("stream a's viewer stalled %v, bar %v (+%v)", r.view.Stall.Round(time.Millisecond), bar, slack)
	}
	if len(r.view.Reloads) > 0 && !reloadsAllowed {
		r.fail("stream a's viewer would reload: %s", r.view.Reloads[0].What)
	}
	if r.view.Segments == 0 {
		r.fail("stream a's viewer saw no segment after the fault")
	}
	if len(r.other.Reloads) > 0 {
		r.fail("stream b's viewer would reload: %s", r.other.Reloads[0].What)
	}
	if r.other.Stall > otherStall {
		r.fail("stream b fell %v behind (bar %v)", r.other.Stall.Round(time.Millisecond), otherStall)
	}
	if r.other.Segments == 0 {
		r.fail("stream b's viewer saw no segment after the fault")
	}
}

// row formats the result as a Markdown table row.
func (r *result) row() string {
	verdict := "PASS"
	if !r.pass() {
		verdict = "FAIL: " + strings.Join(r.failures, "; ")
	}
	notes := strings.Join(r.notes, "; ")
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }
	return fmt.Sprintf("| %s | %s | %s | %s | %s | %s | %d | %s | %d | %s / %d | %s | %s | %s |",
		r.name, r.what, ms(r.gap), ms(r.view.WallGap), ms(r.view.MediaGap), ms(r.view.Stall), r.view.FramesLost,
		ms(r.recovery), len(r.view.Reloads), ms(r.other.Stall), r.other.FramesLost, r.bar, verdict, notes)
}

const tableHead = "| scenario | fault | output gap (server) | viewer wall gap | viewer media gap | viewer stall | frames lost | recovery | reloads | other stream: stall / frames lost | bar | result | notes |\n" +
	"|---|---|---|---|---|---|---|---|---|---|---|---|---|"
