package hub

import "streamhive/media"

// Tracks is an immutable, versioned track list. Version grows by one on each
// Hub.SetTracks (and, in the lists of SubscribeAll's consumers, on each
// derived track added or closed), so a consumer notices a change by
// comparing versions.
type Tracks struct {
	Version uint64
	List    []media.Track

	// video[i] tells whether track ID i is video; hasVideo whether any is.
	// A consumer that dropped frames resumes at a video keyframe when the
	// stream has video (an audio frame is always a keyframe, but resuming on
	// one would hand the video decoder P-frames without their reference).
	video    []bool
	hasVideo bool
}

func newTracks(version uint64, list []media.Track) *Tracks {
	t := &Tracks{Version: version, List: append([]media.Track(nil), list...)}
	for _, tr := range t.List {
		for len(t.video) <= tr.ID {
			t.video = append(t.video, false)
		}
		if tr.ID >= 0 && tr.Codec.Kind() == media.KindVideo {
			t.video[tr.ID] = true
			t.hasVideo = true
		}
	}
	return t
}

// startsGOP reports whether a consumer may start (or resume) at f: a video
// keyframe, or any keyframe when the stream has no video.
func (t *Tracks) startsGOP(f *media.Frame) bool {
	if !f.Keyframe {
		return false
	}
	if !t.hasVideo {
		return true
	}
	return f.Track >= 0 && f.Track < len(t.video) && t.video[f.Track]
}
