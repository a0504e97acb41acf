package transcode

import (
	"context"
	"errors"
	"testing"

	"streamhive/media"
)

// A failed run reads as an error until a later run writes a frame; frames
// held back (audio waiting for the renditions' first keyframes) do not
// count, so a ladder whose video encoder keeps failing stays in error.
func TestStatsState(t *testing.T) {
	st := NewStats(1)
	if s, e := st.State(); s != StateStarting || e != "" {
		t.Errorf("new: %s %q", s, e)
	}
	st.SetFailed(errors.New("boom"))
	if s, e := st.State(); s != StateError || e != "boom" || st.Restarts.Load() != 1 {
		t.Errorf("failed: %s %q", s, e)
	}

	tracks, frames := clip(t, 160, 96, 10, true)
	var audioOnly []*media.Frame
	for _, f := range frames {
		if f.Track == 1 {
			audioOnly = append(audioOnly, f)
		}
	}
	_ = Run(context.Background(), Ladder{Renditions: []Rendition{{}}}, &listSource{tracks: tracks, frames: audioOnly}, &collect{}, st)
	if s, _ := st.State(); s != StateError || st.AudioIn.Load() == 0 {
		t.Errorf("after held-back audio only: %s", s)
	}
	_ = Run(context.Background(), Ladder{Renditions: []Rendition{{}}}, &listSource{tracks: tracks, frames: frames}, &collect{}, st)
	if s, e := st.State(); s != StateRunning || e != "boom" {
		t.Errorf("after a run that wrote: %s %q", s, e)
	}
}
