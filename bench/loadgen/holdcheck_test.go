package main

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// livePlaylist lists segments of 2 s, the newest beginning at newest.
func livePlaylist(seq int64, newest time.Time) mediaPlaylist {
	return mediaPlaylist{
		Target: 2 * time.Second, Sequence: seq, Segments: []string{"a.ts", "b.ts"},
		Durations: []time.Duration{2 * time.Second, 2 * time.Second},
		Dates:     []time.Time{newest.Add(-2 * time.Second), newest},
	}
}

func TestPlaylistAge(t *testing.T) {
	now := time.UnixMilli(1_800_000_000_000)
	for _, tt := range []struct {
		name  string
		pl    mediaPlaylist
		err   error
		fresh bool
	}{
		{"just cut", livePlaylist(1, now.Add(-2*time.Second)), nil, true},
		{"next one due", livePlaylist(1, now.Add(-4*time.Second-ageSlack)), nil, true},
		{"one segment late", livePlaylist(1, now.Add(-4*time.Second-ageSlack-time.Millisecond)), nil, false},
		{"unreadable", mediaPlaylist{}, errRetry, false},
		{"empty", mediaPlaylist{Target: 2 * time.Second}, nil, false},
		{"undated", mediaPlaylist{Target: 2 * time.Second, Segments: []string{"a.ts"}, Dates: []time.Time{{}}}, nil, false},
	} {
		if _, fresh := playlistAge(now, tt.pl, tt.err); fresh != tt.fresh {
			t.Errorf("%s: fresh = %v, want %v", tt.name, fresh, tt.fresh)
		}
	}
}

// TestHoldCheckVerdict feeds polls of two streams: counters are compared
// with the first poll, a stream missing or stalled on one poll is lost, a
// playlist whose sequence goes back is stale, and a late publisher makes
// the run the load generator's fault.
func TestHoldCheckVerdict(t *testing.T) {
	now := time.UnixMilli(1_800_000_000_000)
	names := []string{"s1", "s2"}
	c := newHoldCheck()
	c.apiPoll(names, map[string]apiStream{"s1": {Alive: true, Lost: 3, Packaged: 10}, "s2": {Alive: true, Lost: 1}})
	c.apiPoll(names, map[string]apiStream{"s1": {Alive: true, Lost: 3, Packaged: 80}, "s2": {Alive: true, Lost: 1, Packaged: 70}})
	c.playlistPoll("s1", now, livePlaylist(5, now.Add(-3*time.Second)), nil)
	c.playlistPoll("s2", now, livePlaylist(5, now.Add(-3*time.Second)), nil)
	v := c.verdict(2, 0, 0, time.Minute, []publisherHealth{{Late: 100 * time.Millisecond}, {}})
	if !v.serverOK() || !v.loadOK() || v.FramesPackaged != 140 || v.WorstAge != 3*time.Second {
		t.Fatalf("clean hold: %+v", v)
	}

	c.apiPoll(names, map[string]apiStream{"s1": {Alive: true, Lost: 5, Packaged: 90}, "s2": {Alive: true, LastFrameAgo: 3 * time.Second, Lost: 1, Packaged: 75}})
	c.apiPoll(names, map[string]apiStream{"s1": {Alive: true, Lost: 5, Packaged: 100}})
	c.playlistPoll("s1", now, livePlaylist(4, now.Add(-3*time.Second)), nil)
	c.playlistPoll("s2", now, mediaPlaylist{}, errors.New("refused"))
	v = c.verdict(2, 0, 1, time.Minute, []publisherHealth{{Late: time.Second}, {}})
	want := verdict{
		Streams: 2, Hold: time.Minute, StreamsLost: 1, LostPolls: 2, APIPolls: 4, FramesDropped: 2, DroppedStreams: 1, FramesPackaged: 165,
		Playlists: 4, StalePolls: 2, StaleStreams: 2, WorstAge: 3 * time.Second, PubFailed: 1, PubLate: 1, WorstLate: time.Second,
	}
	if v != want {
		t.Fatalf("failing hold:\n got %+v\nwant %+v", v, want)
	}
	if v.serverOK() || v.loadOK() {
		t.Errorf("serverOK %v loadOK %v, want both false", v.serverOK(), v.loadOK())
	}
	var b strings.Builder
	writeVerdict(&b, v)
	if !strings.Contains(b.String(), "verdict: INVALID: the load generator fell behind") {
		t.Errorf("verdict table:\n%s", b.String())
	}
}
