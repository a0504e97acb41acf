package mediatest

import (
	"testing"

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
	for i := 1; i < len(c.Frames); i++ {
		if c.Frames[i].DTS < c.Frames[i-1].DTS {
			t.Fatalf("frame %d: DTS %v before %v", i, c.Frames[i].DTS, c.Frames[i-1].DTS)
		}
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
