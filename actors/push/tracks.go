package push

import (
	"errors"
	"fmt"
	"strings"

	"streamhive/actors/config"
	"streamhive/media"
)

// ErrNoTrack means the push's tracks= names a track the stream does not have.
// A session fails with it and is retried: the stream's next source, or
// its transcoder once running, may have the track.
var ErrNoTrack = errors.New("push: the stream has no such track")

// trackChoice is which of a stream's tracks one push carries.
type trackChoice struct {
	want []config.TrackID // the push's tracks=; nil: the default
	one  bool             // the target has room for one video and one audio track
}

// choiceFor reads p's tracks= option (config.Validate has checked it; a
// bad one from an unvalidated config fails the session for good).
func choiceFor(p config.Push) (trackChoice, error) {
	c := trackChoice{one: config.PushCarriesOneRendition(p.URL)}
	v, ok := p.Options[config.PushTracksOption]
	if !ok {
		return c, nil
	}
	ids, err := config.ParseTrackIDs(v)
	if err != nil {
		return c, fmt.Errorf("push: tracks: %w", err)
	}
	c.want = ids
	return c, nil
}

// pick applies the choice to a stream's track list.
func (c trackChoice) pick(list []media.Track) ([]media.Track, error) {
	return selectTracks(list, c.want, c.one)
}

// selectTracks returns the tracks of list a push carries, in list order.
// With want, exactly the tracks it names (ErrNoTrack when one is
// missing). Without it, a one-rendition target (RTMP) gets the video
// track with the largest picture (the first of equals: a transcoder
// lists its top rendition first) and the first audio track, so that the
// receiver's one video track gets one rendition; an MPEG-TS target gets
// every track, each rendition on its own PID.
func selectTracks(list []media.Track, want []config.TrackID, one bool) ([]media.Track, error) {
	ids := trackIDs(list)
	if want != nil {
		var out []media.Track
		for _, w := range want {
			i := indexOf(ids, w)
			if i < 0 {
				return nil, fmt.Errorf("%w: tracks=%s names %s; the stream has %s",
					ErrNoTrack, joinIDs(want, ""), w, joinIDs(ids, " "))
			}
			out = append(out, list[i])
		}
		return inListOrder(out, list), nil
	}
	if !one {
		return list, nil
	}
	video, audio := -1, -1
	for i, t := range list {
		switch {
		case t.Codec.Kind() == media.KindVideo:
			if video < 0 || area(t) > area(list[video]) {
				video = i
			}
		case audio < 0:
			audio = i
		}
	}
	var out []media.Track
	for i, t := range list {
		if i == video || i == audio {
			out = append(out, t)
		}
	}
	return out, nil
}

func area(t media.Track) int { return t.Width * t.Height }

// trackIDs names each track of list as media_info does (v1, v2, a1...).
func trackIDs(list []media.Track) []config.TrackID {
	ids := make([]config.TrackID, len(list))
	var n config.TrackNumbering
	for i, t := range list {
		ids[i] = n.Next(t.Codec.Kind() == media.KindVideo)
	}
	return ids
}

func indexOf(ids []config.TrackID, id config.TrackID) int {
	for i, x := range ids {
		if x == id {
			return i
		}
	}
	return -1
}

// inListOrder sorts picked (a subset of list) into list's order.
func inListOrder(picked, list []media.Track) []media.Track {
	out := make([]media.Track, 0, len(picked))
	for _, t := range list {
		for _, p := range picked {
			if p.ID == t.ID {
				out = append(out, t)
				break
			}
		}
	}
	return out
}

func joinIDs(ids []config.TrackID, sep string) string {
	if len(ids) == 0 {
		return "no tracks"
	}
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = id.String()
	}
	return strings.Join(s, sep)
}
