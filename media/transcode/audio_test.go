package transcode

import (
	"context"
	"errors"
	"testing"
	"time"

	"streamhive/media"
)

// audioCollect is an AudioSink that keeps everything.
type audioCollect struct {
	tracks []*media.Track
	frames []*media.Frame
}

func (c *audioCollect) SetTrack(t *media.Track)   { c.tracks = append(c.tracks, t) }
func (c *audioCollect) WriteFrame(f *media.Frame) { c.frames = append(c.frames, f) }

func runAudio(t *testing.T, a AudioOut, tracks []media.Track, frames []*media.Frame) *audioCollect {
	t.Helper()
	out := &audioCollect{}
	if err := RunAudio(context.Background(), a, &listSource{tracks: tracks, frames: frames}, out); !errors.Is(err, ErrEndOfStream) {
		t.Fatalf("RunAudio = %v, want ErrEndOfStream", err)
	}
	return out
}

// TestRunAudioOpusDecodes: AAC beside video becomes an Opus track alone,
// covering the source's time, and its packets decode.
func TestRunAudioOpusDecodes(t *testing.T) {
	tracks, frames := clip(t, 160, 96, 50, true) // 2 s
	out := runAudio(t, AudioOut{Codec: media.CodecOpus}, tracks, frames)
	if len(out.tracks) != 1 || out.tracks[0].Codec != media.CodecOpus || out.tracks[0].SampleRate != 48000 || out.tracks[0].Channels != 1 {
		t.Fatalf("tracks %+v", out.tracks)
	}
	if n := len(out.frames); n < 90 || n > 101 { // 20 ms packets
		t.Fatalf("%d Opus packets from 2 s", n)
	}
	last := out.frames[len(out.frames)-1].PTS
	if last < 1800*time.Millisecond || last > 2*time.Second {
		t.Errorf("last packet at %v", last)
	}
	dec, err := openDecoder(*out.tracks[0])
	if err != nil {
		t.Fatal(err)
	}
	defer dec.free()
	samples := 0
	for _, f := range out.frames {
		if f.Track != 0 || !f.Keyframe {
			t.Fatalf("frame %+v", f)
		}
		if err := dec.decode(f, func(r *Raw) error { samples += r.f.NbSamples(); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if samples < 48000*18/10 {
		t.Errorf("%d samples decoded from 2 s", samples)
	}
}

// TestRunAudioNothingToEncode: a source without audio, or whose audio is
// Opus already, gets no track and no frame.
func TestRunAudioNothingToEncode(t *testing.T) {
	tracks, frames := clip(t, 160, 96, 10, false)
	if out := runAudio(t, AudioOut{Codec: media.CodecOpus}, tracks, frames); len(out.tracks)+len(out.frames) != 0 {
		t.Errorf("video only: %d tracks %d frames", len(out.tracks), len(out.frames))
	}
	tracks, frames = clip(t, 160, 96, 10, true)
	opus := runAudio(t, AudioOut{Codec: media.CodecOpus}, tracks, frames)
	src := []media.Track{{ID: 0, Codec: media.CodecOpus, SampleRate: 48000, Channels: 1}}
	if out := runAudio(t, AudioOut{Codec: media.CodecOpus}, src, opus.frames); len(out.tracks)+len(out.frames) != 0 {
		t.Errorf("Opus source: %d tracks %d frames", len(out.tracks), len(out.frames))
	}
}
