package push

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"streamhive/actors/config"
	"streamhive/media"
	"streamhive/media/hub"
)

func pushTo(url, tracks string) config.Push {
	return config.Push{URL: url, Options: map[string]string{config.PushTracksOption: tracks}}
}

// scripted is a Source that yields frames from a script; a frame's name
// is its track's id (v1, v2, a1) and "K" for a keyframe. dropAt[i] is
// the consumer's drop count once frame i has been read.
type scripted struct {
	tracks *hub.Tracks
	frames []*media.Frame
	names  map[*media.Frame]string
	dropAt map[int]uint64
	next   int
	drops  uint64
}

var errScriptEnd = errors.New("end of script")

func script(list []media.Track, names ...string) *scripted {
	s := &scripted{tracks: &hub.Tracks{Version: 7, List: list}, names: map[*media.Frame]string{}, dropAt: map[int]uint64{}}
	ids := map[string]int{"v1": 0, "v2": 1, "a1": 2} // the ladder's
	for i, n := range names {
		name, key := strings.CutSuffix(n, "K")
		f := &media.Frame{Track: ids[name], DTS: time.Duration(i) * time.Millisecond, Keyframe: key || name == "a1"}
		s.frames = append(s.frames, f)
		s.names[f] = n
	}
	return s
}

func (s *scripted) Read(context.Context) (*media.Frame, error) {
	if s.next == len(s.frames) {
		return nil, errScriptEnd
	}
	f := s.frames[s.next]
	if n, ok := s.dropAt[s.next]; ok {
		s.drops = n
	}
	s.next++
	return f, nil
}

func (s *scripted) Tracks() *hub.Tracks { return s.tracks }
func (s *scripted) Dropped() uint64     { return s.drops }

// readAll reads src to the end of its script and names the frames read.
func readAll(src *selected, s *scripted) (string, error) {
	var got []string
	for {
		f, err := src.Read(context.Background())
		if errors.Is(err, errScriptEnd) {
			return strings.Join(got, " "), nil
		}
		if err != nil {
			return strings.Join(got, " "), err
		}
		got = append(got, s.names[f])
	}
}

func TestSelectedStartsAtTheCarriedRenditionsKeyframe(t *testing.T) {
	// The hub started the consumer at v2's keyframe; v1's comes later.
	s := script(ladder, "v2K", "v1", "a1", "v1K", "v2", "a1", "v1")
	src := newSelected(s, trackChoice{one: true})
	got, err := readAll(src, s)
	if err != nil || got != "v1K a1 v1" {
		t.Errorf("read %q, %v; want v1K a1 v1", got, err)
	}
	if tr := src.Tracks(); tr.Version != 7 || idsOf(tr.List) != "[0 2]" {
		t.Errorf("tracks: version %d, %s; want 7, [0 2]", tr.Version, idsOf(tr.List))
	}
}

func TestSelectedWaitsForAKeyframeAfterALoss(t *testing.T) {
	// The consumer lost frames before the fourth: v1's next pictures
	// lack their reference until v1's keyframe; audio goes on.
	s := script(ladder, "v1K", "a1", "v1", "v1", "a1", "v2K", "v1", "v1K", "a1")
	s.dropAt[3] = 5
	got, err := readAll(newSelected(s, trackChoice{one: true}), s)
	if err != nil || got != "v1K a1 v1 a1 v1K a1" {
		t.Errorf("read %q, %v; want v1K a1 v1 a1 v1K a1", got, err)
	}
}

func TestSelectedMPEGTSCarriesEveryRendition(t *testing.T) {
	s := script(ladder, "v1K", "v2", "a1", "v2K", "v1", "v2", "a1")
	got, err := readAll(newSelected(s, trackChoice{}), s)
	if err != nil || got != "v1K a1 v2K v1 v2 a1" {
		t.Errorf("read %q, %v; want v1K a1 v2K v1 v2 a1", got, err)
	}
}

func TestSelectedFailsOnAMissingTrack(t *testing.T) {
	s := script(ladder, "v1K", "a1")
	c, err := choiceFor(pushTo("rtmp://h/app/key", "v3a1"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = newSelected(s, c).Read(context.Background())
	if !errors.Is(err, ErrNoTrack) {
		t.Fatalf("Read: %v, want ErrNoTrack", err)
	}
	if want := "tracks=v3a1 names v3; the stream has v1 v2 a1"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q lacks %q", err, want)
	}
}
