package hlspull

import (
	"fmt"
	"reflect"
	"time"

	"streamhive/media"
)

// fmp4Reader turns one pull's fMP4 segments into frames on one timeline.
// Used by one goroutine.
type fmp4Reader struct {
	initData []byte // the init section in force
	init     *fmp4Init

	haveOrigin bool
	origin     time.Duration // the first video frame's DTS (first frame's without video): time 0
	waitKey    []bool        // per track: video frames are dropped until a keyframe
}

// setInit parses a new init section. The first one gives the tracks; a
// later one must give the same tracks (ErrFormatChanged otherwise).
func (r *fmp4Reader) setInit(b []byte) (changed bool, err error) {
	if r.init != nil && string(b) == string(r.initData) {
		return false, nil
	}
	in, err := parseInit(b)
	if err != nil {
		return false, err
	}
	if r.init != nil && !reflect.DeepEqual(in.tracks, r.init.tracks) {
		return false, fmt.Errorf("%w: the init section's tracks changed", ErrFormatChanged)
	}
	first := r.init == nil
	r.init, r.initData = in, b
	if first {
		r.waitKey = make([]bool, len(in.tracks))
		for i, t := range in.tracks {
			r.waitKey[i] = t.Codec.Kind() == media.KindVideo
		}
	}
	return first, nil
}

// frames reads one media segment into frames in DTS order. A segment that
// does not parse gives an error and no frames.
func (r *fmp4Reader) frames(b []byte) ([]*media.Frame, error) {
	f, err := decodeMP4(b)
	if err != nil {
		return nil, err
	}
	byTrack, err := trackSamples(f, r.init)
	if err != nil {
		return nil, err
	}
	if !r.haveOrigin {
		r.setOrigin(byTrack)
	}
	var out []*media.Frame
	for _, id := range r.init.order {
		t := r.init.traks[id]
		for _, s := range byTrack[id] {
			fr, err := r.frame(t, s)
			if err != nil {
				return nil, err
			}
			if fr != nil {
				out = append(out, fr)
			}
		}
	}
	sortFrames(out)
	return out, nil
}

// setOrigin makes the first segment's first video sample time 0 (its
// first sample of any track when it has no video).
func (r *fmp4Reader) setOrigin(byTrack map[uint32][]sample) {
	for _, kind := range []media.Kind{media.KindVideo, media.KindAudio} {
		for id, t := range r.init.traks {
			if ss := byTrack[id]; len(ss) > 0 && t.codec.Kind() == kind {
				at := toDuration(int64(ss[0].dts), t.timescale)
				if !r.haveOrigin || at < r.origin {
					r.origin, r.haveOrigin = at, true
				}
			}
		}
		if r.haveOrigin {
			return
		}
	}
}

// frame makes one sample a frame; nil when it falls before the origin or
// before the track's first keyframe.
func (r *fmp4Reader) frame(t *fmp4Track, s sample) (*media.Frame, error) {
	dts := toDuration(int64(s.dts), t.timescale) - r.origin
	if dts < 0 {
		return nil, nil
	}
	f := &media.Frame{
		Track:    t.id,
		DTS:      dts,
		PTS:      dts + toDuration(int64(s.cto), t.timescale),
		Keyframe: true,
	}
	if t.codec.Kind() == media.KindAudio {
		if len(s.data) == 0 {
			return nil, fmt.Errorf("%w: empty audio sample", errFMP4)
		}
		f.Data = [][]byte{s.data}
		return f, nil
	}
	f.Keyframe = s.sync
	if r.waitKey[t.id] && !s.sync {
		return nil, nil
	}
	r.waitKey[t.id] = false
	nalus, err := splitNALUs(s.data, t.lenSize)
	if err != nil {
		return nil, err
	}
	f.Data = nalus
	return f, nil
}
