package rtmp

import (
	"errors"
	"testing"
	"time"

	"streamhive/media"
)

func avcSeqHeader() []byte { return cat([]byte{0x17, 0, 0, 0, 0}, avcRecord(4)) }

func TestIngest(t *testing.T) {
	rec := &recorder{}
	published := 0
	var stats media.InputStats
	in := newIngest(&stats, func(tracks []media.Track) (media.Sink, error) {
		published++
		rec.tracks = tracks
		return rec, nil
	})
	base := uint32(0xffffffff - 30) // wraps after the first frame
	steps := []struct {
		video bool
		ts    uint32
		tag   []byte
	}{
		{true, base, avcSeqHeader()},
		{true, base, cat([]byte{0x27, 1, 0, 0, 0}, lengthPrefixed(slice))}, // no config for audio yet: buffered
		{false, base, cat([]byte{0xaf, 0}, aacASC)},                        // publishes
		{false, base, []byte{0xaf, 1, 0x21}},
		{true, base + 40, cat([]byte{0x17, 1, 0, 0, 80}, lengthPrefixed(idr))}, // wraps; cts 80
		{true, base + 80, []byte{0x17, 1, 0}},                                  // malformed: dropped
		{true, base + 80, avcSeqHeader()},                                      // identical: ignored
	}
	for i, s := range steps {
		var err error
		if s.video {
			err = in.onVideo(s.ts, s.tag)
		} else {
			err = in.onAudio(s.ts, s.tag)
		}
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	if published != 1 || len(rec.tracks) != 2 {
		t.Fatalf("published %d times, tracks %+v", published, rec.tracks)
	}
	_, frames := rec.snapshot()
	if len(frames) != 3 {
		t.Fatalf("got %d frames", len(frames))
	}
	if f := frames[2]; f.Track != 0 || f.DTS != 40*time.Millisecond || f.PTS != 120*time.Millisecond || !f.Keyframe {
		t.Errorf("frame after wrap: %+v", f)
	}
	if stats.Errors.Load() != 1 || stats.Frames.Load() != 3 {
		t.Errorf("stats errors %d frames %d", stats.Errors.Load(), stats.Frames.Load())
	}

	// A different sequence header after publishing ends the ingest.
	changed := cat([]byte{0x17, 0, 0, 0, 0}, avcRecord(2))
	changed[len(changed)-1] ^= 1 // another PPS
	if err := in.onVideo(base+120, changed); !errors.Is(err, ErrTracksChanged) {
		t.Errorf("changed sequence header: %v", err)
	}
}

func TestIngestVideoOnlyPublishesAfterWaiting(t *testing.T) {
	rec := &recorder{}
	in := newIngest(&media.InputStats{}, func(tracks []media.Track) (media.Sink, error) {
		rec.tracks = tracks
		return rec, nil
	})
	if err := in.onVideo(0, avcSeqHeader()); err != nil {
		t.Fatal(err)
	}
	for ts := uint32(0); ts <= 1000; ts += 40 {
		if err := in.onVideo(ts, cat([]byte{0x17, 1, 0, 0, 0}, lengthPrefixed(idr))); err != nil {
			t.Fatal(err)
		}
		if rec.tracks != nil && ts < 1000 {
			t.Fatalf("published at %d ms, before waiting a second for audio", ts)
		}
	}
	if len(rec.tracks) != 1 || rec.tracks[0].Codec != media.CodecH264 {
		t.Fatalf("tracks = %+v", rec.tracks)
	}
	if _, frames := rec.snapshot(); len(frames) != 26 {
		t.Errorf("got %d frames, want the 26 buffered", len(frames))
	}
}

func TestIngestUnsupportedVideoFails(t *testing.T) {
	in := newIngest(&media.InputStats{}, func([]media.Track) (media.Sink, error) { return &recorder{}, nil })
	if err := in.onVideo(0, []byte{0x12, 0, 0}); !errors.Is(err, media.ErrUnsupportedCodec) {
		t.Errorf("err = %v", err)
	}
}
