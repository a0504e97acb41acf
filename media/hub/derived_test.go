package hub

import (
	"testing"

	"streamhive/media"
)

var opusTrack = media.Track{Codec: media.CodecOpus, SampleRate: 48000, Channels: 2}

// TestDerivedTrackOnlyForSubscribeAll: a derived track and its frames reach
// SubscribeAll's consumers and leave a plain consumer's list, version,
// frames and drop count as they were, while it comes and goes.
func TestDerivedTrackOnlyForSubscribeAll(t *testing.T) {
	h, w := newAVHub(t, 64)
	w.WriteFrame(frame(0, 0, 5))
	plain, all := h.Subscribe(), h.SubscribeAll()
	before := h.Tracks()

	dw := h.AddDerived(opusTrack)
	if id := dw.Track().ID; id != DerivedTrackBase {
		t.Fatalf("derived ID %d", id)
	}
	dw.WriteFrame(&media.Frame{Keyframe: true, Data: [][]byte{{9}}})
	w.WriteFrame(frame(0, 1, 5))
	dw.Close()
	w.WriteFrame(frame(0, 2, 5))
	dw.WriteFrame(&media.Frame{Keyframe: true, Data: [][]byte{{9}}}) // closed: dropped

	if h.Tracks() != before {
		t.Errorf("Tracks changed to %+v", h.Tracks())
	}
	got := readN(t, plain, 3)
	for _, f := range got {
		if f.Track != 0 {
			t.Errorf("plain consumer read track %d", f.Track)
		}
	}
	if plain.Tracks() != before || plain.Dropped() != 0 {
		t.Errorf("plain consumer tracks v%d dropped %d", plain.Tracks().Version, plain.Dropped())
	}

	got = readN(t, all, 4) // cached keyframe, opus, frame 1, frame 2
	if got[1].Track != DerivedTrackBase {
		t.Fatalf("SubscribeAll read %+v second", got[1])
	}
	if n := len(all.Tracks().List); n != 2 {
		t.Errorf("after Close the full list has %d tracks", n)
	}
	if all.Dropped() != 0 {
		t.Errorf("SubscribeAll dropped %d", all.Dropped())
	}
}

// TestDerivedTracksKeepIDsAcrossSetTracks: derived IDs never collide and
// survive a new writer's track list; a closed hub revokes them.
func TestDerivedTracksKeepIDsAcrossSetTracks(t *testing.T) {
	h, _ := newAVHub(t, 64)
	a, b := h.AddDerived(opusTrack), h.AddDerived(opusTrack)
	if a.Track().ID == b.Track().ID {
		t.Fatalf("two derived tracks share ID %d", a.Track().ID)
	}
	a.Close()
	if c := h.AddDerived(opusTrack); c.Track().ID != a.Track().ID {
		t.Errorf("freed ID %d not reused: %d", a.Track().ID, c.Track().ID)
	}
	h.SetTracks(avTracks[:1])
	c := h.SubscribeAll()
	if l := c.Tracks().List; len(l) != 3 || l[0].Codec != media.CodecH264 || l[1].ID < DerivedTrackBase {
		t.Errorf("full list %+v", l)
	}
	h.Close()
	if h.AddDerived(opusTrack).WriteFrame(&media.Frame{}); h.Stats().Frames != 0 {
		t.Error("closed hub counted a frame")
	}
}
