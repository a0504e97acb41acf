package main

import (
	"fmt"
	"log/slog"
	"time"

	"streamhive/chaos"
)

// serveBar is how soon after it starts again a SIGKILLed server must
// serve its streams.
const serveBar = 5 * time.Second

// runRestart is scenario e: SIGKILL the server and start it again. Both
// streams pull UDP, so their publishers go on sending throughout; the
// bar is that each stream's HLS output lists a segment again within 5 s
// of the new process starting.
func runRestart(root, bin, clip string) *result {
	r := &result{
		name: "e", what: "SIGKILL the server and start it again (both streams pull UDP)",
		bar: "both streams serve within 5 s of the start",
	}
	slog.Info("chaos: scenario", "name", r.name, "fault", r.what)
	pa, err1 := chaos.FreeUDP()
	pb, err2 := chaos.FreeUDP()
	if err1 != nil || err2 != nil {
		r.fail("ports: %v %v", err1, err2)
		return r
	}
	e, err := newEnv(root, "e", bin, clip, func(int) string {
		return aStream(fmt.Sprintf("  input udp://127.0.0.1:%d;", pa)) +
			fmt.Sprintf("stream b { input udp://127.0.0.1:%d; segment_duration 1; segment_count 6; }\n", pb)
	})
	if err != nil {
		r.fail("start: %v", err)
		return r
	}
	defer e.close()
	for _, p := range []int{pa, pb} {
		if _, err := e.publish("mpegts", udpURL(p)); err != nil {
			r.fail("publisher: %v", err)
			return r
		}
	}
	e.watch("a", "b")
	if err := e.warm(3, 20*time.Second); err != nil {
		r.fail("warm-up: %v", err)
		return r
	}
	e.srv.Kill()
	e.cancel() // the old viewers end with the old process
	start := time.Now()
	if err := e.srv.Start(); err != nil {
		r.fail("restart: %v", err)
		return r
	}
	e.ctx, e.cancel = contextPair()
	e.watch("a", "b")
	served := map[string]time.Duration{}
	for time.Since(start) < 3*serveBar && len(served) < 2 {
		for _, n := range []string{"a", "b"} {
			if _, ok := served[n]; ok {
				continue
			}
			for _, s := range e.viewer[n].Segments() {
				if len(s.Times) > 0 {
					served[n] = s.Appeared.Sub(start)
					break
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(3 * time.Second) // then watch steady playback
	end := time.Now()
	r.recovery = max(served["a"], served["b"])
	r.gap = r.recovery
	r.view = e.viewer["a"].Measure(start, end)
	r.other = e.viewer["b"].Measure(start, end)
	for _, n := range []string{"a", "b"} {
		d, ok := served[n]
		switch {
		case !ok:
			r.fail("stream %s did not serve within %v", n, 3*serveBar)
		case d > serveBar:
			r.fail("stream %s served %v after the start, bar %v", n, d.Round(time.Millisecond), serveBar)
		default:
			r.note("%s served after %.2f s", n, d.Seconds())
		}
	}
	if len(r.view.Reloads)+len(r.other.Reloads) > 0 {
		r.fail("a viewer of the new process would reload")
	}
	r.note("gap and recovery: from the new process's start to its first segment; a player reloads once")
	slog.Info("chaos: done", "name", r.name, "pass", r.pass(), "a", served["a"], "b", served["b"])
	return r
}
