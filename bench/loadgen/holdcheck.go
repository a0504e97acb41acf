package main

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// The hold's bars. A stream is lost on a poll of the Control API that does
// not list it alive or whose last frame is older than frameGapBar; a
// playlist is stale when its newest segment began more than two target
// durations before the poll (plus ageSlack: a segment is listed only once
// the keyframe that ends it has arrived, so a fresh playlist's newest
// segment began up to two targets ago, plus the publisher's and the
// request's delays), or its media sequence went back; a publisher fell behind when it sent a tag
// later than lateBar after its time.
const (
	frameGapBar = 2 * time.Second
	ageSlack    = 500 * time.Millisecond
	lateBar     = 500 * time.Millisecond
)

// apiStream is what one poll of the Control API said of one stream.
type apiStream struct {
	Alive        bool
	LastFrameAgo time.Duration
	Lost         int64 // frames the server lost: packaging losses and input errors, since the stream started
	Packaged     int64 // frames written into segments
}

// holdCheck collects the polls of a hold. Its methods are safe for
// concurrent use: the API poller and every playlist poller report to it.
type holdCheck struct {
	mu   sync.Mutex
	base map[string]apiStream // the first poll: counters are compared with it

	apiPolls     int
	lostPolls    int             // stream × poll pairs that failed
	lostStreams  map[string]bool // streams that failed at least one poll
	dropped      map[string]int64
	packaged     map[string]int64 // frames packaged over the hold, per stream, at its last poll
	playlists    int
	stalePolls   int
	staleStreams map[string]bool
	worstAge     time.Duration
	lastMSN      map[string]int64
}

func newHoldCheck() *holdCheck {
	return &holdCheck{
		lostStreams: map[string]bool{}, dropped: map[string]int64{},
		staleStreams: map[string]bool{}, lastMSN: map[string]int64{}, packaged: map[string]int64{},
	}
}

// apiPoll takes one poll of every stream in names; got holds what the API
// listed. The first poll is the baseline for the counters.
func (h *holdCheck) apiPoll(names []string, got map[string]apiStream) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.base == nil {
		h.base = got
	}
	h.apiPolls++
	for _, name := range names {
		s, ok := got[name]
		if !ok || !s.Alive || s.LastFrameAgo > frameGapBar {
			h.lostPolls++
			h.lostStreams[name] = true
		}
		if !ok {
			continue
		}
		b := h.base[name]
		if d := s.Lost - b.Lost; d > 0 {
			h.dropped[name] = d
		}
		h.packaged[name] = s.Packaged - b.Packaged
	}
}

// playlistPoll takes one fetch of a stream's media playlist at now: pl is
// what it held, err why it could not be read.
func (h *holdCheck) playlistPoll(name string, now time.Time, pl mediaPlaylist, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.playlists++
	age, fresh := playlistAge(now, pl, err)
	msn := pl.Sequence + int64(len(pl.Segments)) - 1
	if prev, ok := h.lastMSN[name]; ok && msn < prev {
		fresh = false
	}
	if err == nil {
		h.lastMSN[name] = max(msn, h.lastMSN[name])
	}
	h.worstAge = max(h.worstAge, age)
	if !fresh {
		h.stalePolls++
		h.staleStreams[name] = true
	}
}

// playlistAge is how long before now the newest segment of pl began, and
// whether that is within two target durations. A playlist that could not
// be read, lists nothing or dates nothing is not fresh.
func playlistAge(now time.Time, pl mediaPlaylist, err error) (time.Duration, bool) {
	n := len(pl.Segments)
	if err != nil || n == 0 || len(pl.Dates) != n || pl.Dates[n-1].IsZero() || pl.Ended {
		return 0, false
	}
	age := now.Sub(pl.Dates[n-1])
	return age, age <= 2*pl.Target+ageSlack
}

// publisherHealth is one publisher's own timing over the run.
type publisherHealth struct {
	Late, Blocked time.Duration
}

// verdict is a hold's outcome.
type verdict struct {
	Streams        int
	Hold           time.Duration
	NotReady       int
	StreamsLost    int
	LostPolls      int
	APIPolls       int
	FramesDropped  int64
	DroppedStreams int
	FramesPackaged int64
	Playlists      int
	StalePolls     int
	StaleStreams   int
	WorstAge       time.Duration
	PubFailed      int
	PubLate        int
	WorstLate      time.Duration
	WorstBlocked   time.Duration
	Server, Client usage
}

// verdict reduces the polls and the publishers' health.
func (h *holdCheck) verdict(streams, notReady, pubFailed int, hold time.Duration, pubs []publisherHealth) verdict {
	h.mu.Lock()
	defer h.mu.Unlock()
	v := verdict{
		Streams: streams, Hold: hold, NotReady: notReady, PubFailed: pubFailed,
		StreamsLost: len(h.lostStreams), LostPolls: h.lostPolls, APIPolls: h.apiPolls,
		DroppedStreams: len(h.dropped),
		Playlists:      h.playlists, StalePolls: h.stalePolls, StaleStreams: len(h.staleStreams), WorstAge: h.worstAge,
	}
	for _, d := range h.dropped {
		v.FramesDropped += d
	}
	for _, n := range h.packaged {
		v.FramesPackaged += n
	}
	for _, p := range pubs {
		if p.Late > lateBar {
			v.PubLate++
		}
		v.WorstLate, v.WorstBlocked = max(v.WorstLate, p.Late), max(v.WorstBlocked, p.Blocked)
	}
	return v
}

// serverOK: every stream playable, alive on every poll, no frame lost, every
// playlist fresh, no publisher cut off.
func (v verdict) serverOK() bool {
	return v.NotReady == 0 && v.StreamsLost == 0 && v.FramesDropped == 0 && v.StalePolls == 0 &&
		v.PubFailed == 0 && v.APIPolls > 0 && v.Playlists > 0
}

// loadOK: every publisher kept to its sample's clock, so the load was the
// one asked for.
func (v verdict) loadOK() bool { return v.PubLate == 0 }

// writeVerdict prints the hold's table and what it means.
func writeVerdict(w *strings.Builder, v verdict) {
	mark := func(ok bool) string {
		if ok {
			return "ok"
		}
		return "FAIL"
	}
	fmt.Fprintf(w, "| hold: %d streams for %v | value | check |\n| --- | ---: | --- |\n", v.Streams, v.Hold)
	fmt.Fprintf(w, "| streams not playable at start | %d | %s |\n", v.NotReady, mark(v.NotReady == 0))
	fmt.Fprintf(w, "| streams lost (not alive, or no frame for %v, on any of %d API polls) | %d (%d stream-polls) | %s |\n",
		frameGapBar, v.APIPolls, v.StreamsLost, v.LostPolls, mark(v.StreamsLost == 0 && v.APIPolls > 0))
	fmt.Fprintf(w, "| frames dropped by the server (packaging losses + input errors) | %d in %d streams (%d packaged) | %s |\n",
		v.FramesDropped, v.DroppedStreams, v.FramesPackaged, mark(v.FramesDropped == 0))
	fmt.Fprintf(w, "| stale playlists (newest segment older than 2 target durations, or sequence back) | %d of %d polls, %d streams | %s |\n",
		v.StalePolls, v.Playlists, v.StaleStreams, mark(v.StalePolls == 0 && v.Playlists > 0))
	fmt.Fprintf(w, "| worst playlist age (poll − newest segment's program date time) | %.2f s | |\n", v.WorstAge.Seconds())
	fmt.Fprintf(w, "| publishers cut off | %d | %s |\n", v.PubFailed, mark(v.PubFailed == 0))
	fmt.Fprintf(w, "| publishers behind their clock by > %v (load generator) | %d (worst %.3f s; longest write %.3f s) | %s |\n",
		lateBar, v.PubLate, v.WorstLate.Seconds(), v.WorstBlocked.Seconds(), mark(v.loadOK()))
	fmt.Fprintf(w, "| server: CPU %% of a core, RSS MiB | %.1f, %.0f | |\n", v.Server.CPU, v.Server.RSS/(1<<20))
	fmt.Fprintf(w, "| load generator: CPU %% of a core, RSS MiB | %.1f, %.0f | |\n", v.Client.CPU, v.Client.RSS/(1<<20))
	switch {
	case !v.loadOK():
		fmt.Fprintf(w, "\nverdict: INVALID: the load generator fell behind (its fault, not the server's); the server checks were %s\n", mark(v.serverOK()))
	case v.serverOK():
		fmt.Fprintf(w, "\nverdict: PASS\n")
	default:
		fmt.Fprintf(w, "\nverdict: FAIL\n")
	}
}
