package play

import (
	"testing"
	"time"

	"streamhive/actors/sessions"
	"streamhive/gateway/live"
	"streamhive/media"
	"streamhive/media/dvr"
	"streamhive/media/dvr/export/archivetest"
)

// archivedStream is a fakeStream that records into an in-memory archive.
type archivedStream struct {
	*fakeStream
	arc dvr.Archive
}

func (s archivedStream) Archive() dvr.Archive { return s.arc }

// arcT0 is the wall clock the test archives start at.
var arcT0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// arcStreams is a Locator over archived and plain fake streams.
type arcStreams map[string]live.Stream

func (m arcStreams) Locate(name string) (live.Location, bool) {
	s, ok := m[name]
	return live.Location{Node: live.Local, Stream: s}, ok
}

// archiveHarness serves:
//
//	clean     20 s recorded from arcT0, one run
//	gappy     12 s from arcT0; 8 s from arcT0+18s (a restart: a gap);
//	          8 s from arcT0+26s with mono audio (a new epoch: a gap)
//	nodvr     a stream without an archive
//	nohls     clean's archive with hls, dash, mp4 and jpeg off
type archiveHarness struct {
	base         string
	clean, gappy *archivetest.Archive
}

func newArchiveHarness(t testing.TB) *archiveHarness {
	t.Helper()
	return newGatedArchiveHarness(t, nil)
}

// newGatedArchiveHarness is newArchiveHarness with every request through
// gate.
func newGatedArchiveHarness(t testing.TB, gate sessions.Gate) *archiveHarness {
	t.Helper()
	c := loadClip(t)
	clean, gappy := archivetest.New(), archivetest.New()
	mono := append([]media.Track(nil), c.Tracks...)
	mono[1].Channels = 1
	for _, rec := range []struct {
		a      *archivetest.Archive
		tracks []media.Track
		at, d  time.Duration
	}{
		{clean, nil, 0, 20 * time.Second},
		{gappy, nil, 0, 12 * time.Second},
		{gappy, nil, 18 * time.Second, 8 * time.Second},
		{gappy, mono, 26 * time.Second, 8 * time.Second},
	} {
		if err := rec.a.Record(c, rec.tracks, arcT0.Add(rec.at), rec.d); err != nil {
			t.Fatal(err)
		}
	}
	off := &fakeStream{disabled: map[string]bool{ProtoHLS: true, ProtoDASH: true, protoMP4: true, ProtoJPEG: true}}
	streams := arcStreams{
		"clean": archivedStream{&fakeStream{}, clean},
		"gappy": archivedStream{&fakeStream{}, gappy},
		"nodvr": &fakeStream{},
		"nohls": archivedStream{off, clean},
	}
	h := New(Options{Streams: streams, ReadyTimeout: testReady, Gate: gate})
	return &archiveHarness{base: serve(t, h), clean: clean, gappy: gappy}
}
