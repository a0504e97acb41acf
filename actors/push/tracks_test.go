package push

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"streamhive/actors/config"
	"streamhive/media"
)

func video(id, w, h int) media.Track {
	return media.Track{ID: id, Codec: media.CodecH264, Width: w, Height: h}
}

func audio(id int) media.Track { return media.Track{ID: id, Codec: media.CodecAAC} }

// ladder is a transcoded stream: two renditions and audio, in the
// transcoder's order.
var ladder = []media.Track{video(0, 320, 180), video(1, 160, 90), audio(2)}

func TestSelectTracks(t *testing.T) {
	for _, c := range []struct {
		name   string
		list   []media.Track
		tracks string // the push's tracks=; "" for none
		one    bool   // an RTMP target
		want   []int  // IDs kept
		err    string // an error fragment instead
	}{
		{name: "rtmp, a ladder: the highest rendition and audio", list: ladder, one: true, want: []int{0, 2}},
		{name: "rtmp, the ladder's top rendition last", list: []media.Track{audio(0), video(1, 160, 90), video(2, 640, 360)}, one: true, want: []int{0, 2}},
		{name: "rtmp, equal sizes: the first", list: []media.Track{video(0, 320, 180), video(1, 320, 180), audio(2)}, one: true, want: []int{0, 2}},
		{name: "rtmp, one video and one audio: both", list: []media.Track{video(0, 320, 180), audio(1)}, one: true, want: []int{0, 1}},
		{name: "rtmp, two audio tracks: the first", list: []media.Track{video(0, 320, 180), audio(1), audio(2)}, one: true, want: []int{0, 1}},
		{name: "rtmp, audio only", list: []media.Track{audio(0)}, one: true, want: []int{0}},
		{name: "rtmp, no tracks", one: true, want: nil},
		{name: "mpegts, a ladder: every track", list: ladder, want: []int{0, 1, 2}},
		{name: "rtmp, tracks=v2a1: the lower rendition", list: ladder, tracks: "v2a1", one: true, want: []int{1, 2}},
		{name: "rtmp, tracks=a1v2: list order", list: ladder, tracks: "a1v2", one: true, want: []int{1, 2}},
		{name: "rtmp, tracks=v1: video only", list: ladder, tracks: "v1", one: true, want: []int{0}},
		{name: "mpegts, tracks=v2a1", list: ladder, tracks: "v2a1", want: []int{1, 2}},
		{name: "tracks naming a missing video", list: ladder, tracks: "v3a1", one: true, err: "no such track: tracks=v3a1 names v3; the stream has v1 v2 a1"},
		{name: "tracks naming a missing audio", list: ladder, tracks: "v1a2", err: "names a2"},
		{name: "tracks on a stream without tracks", tracks: "v1", one: true, err: "the stream has no tracks"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var want []config.TrackID
			if c.tracks != "" {
				var err error
				if want, err = config.ParseTrackIDs(c.tracks); err != nil {
					t.Fatal(err)
				}
			}
			got, err := selectTracks(c.list, want, c.one)
			if c.err != "" {
				if !errors.Is(err, ErrNoTrack) || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want ErrNoTrack with %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ids := idsOf(got); ids != fmt.Sprint(c.want) {
				t.Errorf("kept %s, want %v", ids, c.want)
			}
		})
	}
}

func idsOf(list []media.Track) string {
	ids := []int{}
	for _, t := range list {
		ids = append(ids, t.ID)
	}
	if len(ids) == 0 {
		return fmt.Sprint([]int(nil))
	}
	return fmt.Sprint(ids)
}

func TestChoiceFor(t *testing.T) {
	c, err := choiceFor(config.Push{URL: "rtmps://a/b/c", Options: map[string]string{"tracks": "v2a1"}})
	if err != nil || !c.one || len(c.want) != 2 {
		t.Errorf("rtmps with tracks=v2a1: %+v %v", c, err)
	}
	if c, err := choiceFor(config.Push{URL: "srt://h:1"}); err != nil || c.one || c.want != nil {
		t.Errorf("srt: %+v %v", c, err)
	}
	if _, err := choiceFor(config.Push{URL: "rtmp://a/b/c", Options: map[string]string{"tracks": "best"}}); err == nil {
		t.Error("tracks=best: no error")
	}
}
