package dvr

import (
	"log/slog"
	"testing"
	"time"

	"streamhive/actors/config"
	"streamhive/actors/stream"
	"streamhive/media"
	"streamhive/media/mediatest"
	"streamhive/media/segment"
)

// TestWriterFromTheSwitch: a node relays a cluster_ingest stream (its
// segmenter holds the owner's media, unrecorded), then captures it after
// the owner died: the stream starts a writer From the next segment. The
// relayed segments in the window are not recorded; the node's own are,
// the first as a Gap stamped with the wall clock of its capture (the
// segmenter resynced the pause), not with the relay's timeline.
func TestWriterFromTheSwitch(t *testing.T) {
	clip, err := mediatest.LoadClip()
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	const pause = 3 * time.Second
	var now time.Time
	var finished []*segment.Segment
	seg := segment.New(segment.Config{
		SegmentDuration: time.Second, Now: func() time.Time { return now },
		OnSegment: func(s *segment.Segment) { finished = append(finished, s) },
	})
	if err := seg.SetTracks(clip.Tracks); err != nil {
		t.Fatal(err)
	}
	frames := clip.Loop(10 * time.Second)
	i := 0
	for ; i < len(frames) && frames[i].DTS < 5*time.Second; i++ { // the relay
		now = t0.Add(frames[i].DTS)
		seg.WriteFrame(frames[i])
	}
	for ; !frames[i].Keyframe || clip.Tracks[frames[i].Track].Codec.Kind() != media.KindVideo; i++ {
		now = t0.Add(frames[i].DTS)
		seg.WriteFrame(frames[i])
	}

	cfg := &config.Server{}
	s := New(Options{Current: func() *config.Server { return cfg }, Retention: -1})
	defer s.Close()
	spec := stream.DVRSpec{Stream: "ci", Config: config.StreamDVR{Root: t.TempDir()}, Segmenter: seg, From: seg.NextMSN()}
	if _, _, err := s.Start(spec); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	rec := s.recs["ci"]
	s.mu.Unlock()
	done := make(chan struct{})
	go func() {
		defer close(done)
		follow(spec, rec, make(chan struct{}), slog.Default())
	}()

	switchAt := t0.Add(frames[i].DTS + pause)
	if err := seg.SetTracks(clip.Tracks); err != nil { // this node's own capture takes over
		t.Fatal(err)
	}
	for ; i < len(frames); i++ {
		now = t0.Add(frames[i].DTS + pause)
		seg.WriteFrame(frames[i])
	}
	seg.Close()
	<-done

	var own []*segment.Segment
	for _, x := range finished {
		if x.MSN >= spec.From {
			own = append(own, x)
		}
	}
	got := rec.store.Records(t0.Add(-time.Hour), t0.Add(time.Hour))
	if len(got) != len(own) || len(own) == 0 {
		t.Fatalf("%d records, want the %d segments from MSN %d", len(got), len(own), spec.From)
	}
	for j, r := range got {
		if r.Start.UnixMilli() != own[j].ProgramDateTime.UnixMilli() || r.DTS != own[j].DTS {
			t.Errorf("record %d at %v (DTS %v), want segment %d at %v (DTS %v)",
				j, r.Start, r.DTS, own[j].MSN, own[j].ProgramDateTime, own[j].DTS)
		}
	}
	if !got[0].Gap || got[0].Start.UnixMilli() != switchAt.UnixMilli() {
		t.Errorf("first record at %v, gap %v; want a gap at the capture's first keyframe %v", got[0].Start, got[0].Gap, switchAt)
	}
}
