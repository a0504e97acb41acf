package main

import (
	"fmt"
	"time"

	"streamhive/chaos"
)

// Settings every scenario's stream a shares, and the bars derived from
// them.
const (
	sourceTimeout = 2 * time.Second
	gop           = time.Second // the clip's keyframe interval
	// slack covers the measurement: the API is polled every 50 ms and
	// ffmpeg's -re pacing wobbles by a frame or two.
	slack = 250 * time.Millisecond
	// otherStall is the most the untouched stream may fall behind: a
	// couple of viewer polls.
	otherStall = 500 * time.Millisecond
)

// scenario is one fault: setup starts stream a's publishers (and any
// proxy) and returns the fault to inject; observe is how long to watch
// after it.
type scenario struct {
	name    string
	what    string
	bar     time.Duration // the largest output gap (and recovery time) allowed on stream a
	barText string
	observe time.Duration
	// conf returns stream a's configuration lines; ports are the free
	// UDP ports 0..3 the scenario may use.
	conf  func(ports []int) string
	setup func(e *env, ports []int) (fault func() error, err error)
	// check adds scenario-specific conditions (nil: none).
	check func(e *env, r *result)
}

func aStream(inputs string) string {
	return fmt.Sprintf("stream a {\n%s\n  source_timeout %d; segment_duration 1; segment_count 6;\n}\n",
		inputs, int(sourceTimeout/time.Second))
}

func udpURL(port int) string { return fmt.Sprintf("udp://127.0.0.1:%d?pkt_size=1316", port) }

// publishWithBackup starts stream a's primary publisher (format to url)
// and its backup, MPEG-TS to UDP port backup; it returns the primary.
func (e *env) publishWithBackup(format, url string, backup int) (*chaos.Publisher, error) {
	pub, err := e.publish(format, url)
	if err != nil {
		return nil, err
	}
	if _, err := e.publish("mpegts", udpURL(backup)); err != nil {
		return nil, err
	}
	return pub, nil
}

// udpProxy starts a UDP proxy (loss and jitter drawn from seed) in front
// of 127.0.0.1:port, closed with the environment.
func (e *env) udpProxy(port int, seed uint64) (*chaos.UDPProxy, error) {
	proxy, err := chaos.NewUDPProxy(fmt.Sprintf("127.0.0.1:%d", port), seed)
	if err != nil {
		return nil, err
	}
	e.closers = append(e.closers, func() { _ = proxy.Close() })
	return proxy, nil
}

// killRTMPPrimary publishes RTMP to stream a with a UDP backup on port 0;
// the fault kills the RTMP publisher.
func killRTMPPrimary(e *env, p []int) (func() error, error) {
	pub, err := e.publishWithBackup("flv", e.rtmpURL("a"), p[0])
	if err != nil {
		return nil, err
	}
	return func() error { pub.Kill(); return nil }, nil
}

var scenarios = []scenario{
	{
		name: "a1", what: "kill the primary publisher (RTMP), backup connected on demand (UDP)",
		bar: sourceTimeout + gop, barText: "source_timeout + 1 GOP", observe: 8 * time.Second,
		conf: func(p []int) string {
			return aStream(fmt.Sprintf("  input publish://;\n  input udp://127.0.0.1:%d;", p[0]))
		},
		setup: killRTMPPrimary,
	},
	{
		name: "a2", what: "kill the primary publisher (RTMP), hot standby backup (UDP)",
		bar: gop, barText: "1 GOP (hot standby, dead connection)", observe: 8 * time.Second,
		conf: func(p []int) string {
			return aStream(fmt.Sprintf("  input publish://;\n  input udp://127.0.0.1:%d standby;", p[0]))
		},
		setup: killRTMPPrimary,
	},
	{
		name: "b", what: "freeze the primary's TCP connection (RTMP through a proxy that stops forwarding)",
		bar: sourceTimeout + gop, barText: "source_timeout + 1 GOP", observe: 8 * time.Second,
		conf: func(p []int) string {
			return aStream(fmt.Sprintf("  input publish://;\n  input udp://127.0.0.1:%d standby;", p[0]))
		},
		setup: func(e *env, p []int) (func() error, error) {
			proxy, err := chaos.NewTCPProxy(fmt.Sprintf("127.0.0.1:%d", e.rtmp))
			if err != nil {
				return nil, err
			}
			e.closers = append(e.closers, func() { _ = proxy.Close() })
			if _, err := e.publishWithBackup("flv", fmt.Sprintf("rtmp://%s/live/a", proxy.Addr()), p[0]); err != nil {
				return nil, err
			}
			return func() error { proxy.Freeze(); return nil }, nil
		},
	},
	{
		name: "c1", what: "drop 2% and reorder (0-20 ms jitter) the primary's UDP datagrams",
		bar: sourceTimeout + gop, barText: "no gap over source_timeout + 1 GOP", observe: 10 * time.Second,
		conf: func(p []int) string {
			return aStream(fmt.Sprintf("  input udp://127.0.0.1:%d;\n  input udp://127.0.0.1:%d standby;", p[0], p[1]))
		},
		setup: func(e *env, p []int) (func() error, error) {
			proxy, err := e.udpProxy(p[0], 1)
			if err != nil {
				return nil, err
			}
			if _, err := e.publishWithBackup("mpegts", fmt.Sprintf("udp://%s?pkt_size=1316", proxy.Addr()), p[1]); err != nil {
				return nil, err
			}
			return func() error { proxy.Impair(0.02, 20*time.Millisecond); return nil }, nil
		},
	},
	{
		name: "c2", what: "drop 5% and reorder (0-20 ms jitter) an SRT publisher's packets, both ways",
		bar: sourceTimeout + gop, barText: "no gap over source_timeout + 1 GOP", observe: 10 * time.Second,
		conf: func(p []int) string {
			return aStream(fmt.Sprintf("  input publish://;\n  input udp://127.0.0.1:%d standby;\n  srt 127.0.0.1:%d;", p[1], p[0]))
		},
		setup: func(e *env, p []int) (func() error, error) {
			proxy, err := e.udpProxy(p[0], 2)
			if err != nil {
				return nil, err
			}
			if _, err := e.publishWithBackup("mpegts", fmt.Sprintf("srt://%s?mode=caller&latency=300000&pkt_size=1316", proxy.Addr()), p[1]); err != nil {
				return nil, err
			}
			return func() error { proxy.Impair(0.05, 20*time.Millisecond); return nil }, nil
		},
	},
	{
		name: "d", what: "the primary's input actor panics 5 s after every start (chaos_panic hook), hot standby backup",
		bar: gop, barText: "1 GOP per panic; restarted; server alive", observe: 20 * time.Second,
		conf: func(p []int) string {
			return aStream(fmt.Sprintf("  input udp://127.0.0.1:%d chaos_panic=5;\n  input udp://127.0.0.1:%d standby;\n  return_after 1;", p[0], p[1]))
		},
		setup: func(e *env, p []int) (func() error, error) {
			for _, port := range p[:2] {
				if _, err := e.publish("mpegts", udpURL(port)); err != nil {
					return nil, err
				}
			}
			return func() error { return nil }, nil // the hook fires by itself
		},
		check: func(e *env, r *result) {
			if s, ok := e.monitor["a"].Last(); !ok || s.Restarts < 2 {
				r.fail("the panicking input restarted %d times, want at least 2", s.Restarts)
			} else {
				r.note("%d restarts, %d switches", s.Restarts, s.Switches)
			}
		},
	},
	{
		name: "f", what: "flap the primary: kill its RTMP publisher every 3 s and start it again 3 s later, hot standby backup",
		bar: gop, barText: "1 GOP per failure; at most 2 switches", observe: 24 * time.Second,
		conf: func(p []int) string {
			return aStream(fmt.Sprintf("  input publish://;\n  input udp://127.0.0.1:%d standby;", p[0]))
		},
		setup: func(e *env, p []int) (func() error, error) {
			pub, err := e.publishWithBackup("flv", e.rtmpURL("a"), p[0])
			if err != nil {
				return nil, err
			}
			return func() error {
				go func() {
					for i := 0; i < 4 && e.ctx.Err() == nil; i++ {
						pub.Kill()
						time.Sleep(3 * time.Second)
						_ = pub.Start()
						time.Sleep(3 * time.Second)
					}
				}()
				return nil
			}, nil
		},
		check: func(e *env, r *result) {
			if s, ok := e.monitor["a"].Last(); !ok || s.Switches > 2 {
				r.fail("%d input switches while flapping, want at most 2", s.Switches)
			} else {
				r.note("%d switches", s.Switches)
			}
		},
	},
}
