package mediatest

import (
	"testing"
	"time"

	"streamhive/media"
)

func TestLoadClip(t *testing.T) {
	c, err := LoadClip()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Tracks) != 2 {
		t.Fatalf("got %d tracks, want 2", len(c.Tracks))
	}
	v, a := c.Tracks[0], c.Tracks[1]
	if v.Codec != media.CodecH264 || v.Width != 320 || v.Height != 180 || len(v.SPS) == 0 || len(v.PPS) == 0 {
		t.Errorf("video track: got %+v", v)
	}
	if a.Codec != media.CodecAAC || a.SampleRate != 44100 || a.Channels != 2 || len(a.AudioConfig) == 0 {
		t.Errorf("audio track: got %+v", a)
	}
	var video, keys int
	for _, f := range c.Frames {
		if f.Track == 0 {
			video++
			if f.Keyframe {
				keys++
			}
		}
	}
	if video != 100 || keys != 4 {
		t.Errorf("got %d video frames and %d keyframes, want 100 and 4", video, keys)
	}
	if f := c.Frames[0]; f.Track != 0 || !f.Keyframe || f.DTS > 100*time.Millisecond {
		t.Errorf("first frame: track %d key %v DTS %v, want the IDR near 0", f.Track, f.Keyframe, f.DTS)
	}
	loop := c.Loop(10 * ClipDuration / 4)
	inClip := 0
	for _, f := range c.Frames {
		if f.DTS < ClipDuration {
			inClip++
		}
	}
	if got, want := len(loop), 3*inClip; got != want {
		t.Errorf("loop: got %d frames, want %d", got, want)
	}
}
