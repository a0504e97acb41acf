package play

import "testing"

func TestParseTrackQuery(t *testing.T) {
	cases := []struct {
		start, filter string
		want          TrackSelection
		ok            bool
	}{
		{want: TrackSelection{}, ok: true},
		{start: "v2", want: TrackSelection{Video: 2}, ok: true},
		{filter: "v1a1", want: TrackSelection{Video: 1, Audio: 1}, ok: true},
		{filter: "a2", want: TrackSelection{Audio: 2, NoVideo: true}, ok: true},
		{filter: "v3", want: TrackSelection{Video: 3, NoAudio: true}, ok: true},
		{start: "v2", filter: "a1", want: TrackSelection{Video: 2, Audio: 1}, ok: true},
		{start: "a1"},
		{filter: "v0"},
		{filter: "v1v2"},
		{filter: "x1"},
		{filter: "v"},
		{filter: "v100"},
	}
	for _, c := range cases {
		got, err := parseTrackQuery([]byte(c.start), []byte(c.filter))
		if (err == nil) != c.ok || (c.ok && got != c.want) {
			t.Errorf("start_track=%q filter.tracks=%q: %+v, %v", c.start, c.filter, got, err)
		}
	}
}

func FuzzParseTrackQuery(f *testing.F) {
	f.Add([]byte("v2"), []byte("v1a1"))
	f.Add([]byte(""), []byte("a99"))
	f.Fuzz(func(t *testing.T, start, filter []byte) {
		s, err := parseTrackQuery(start, filter)
		if err == nil && (s.Video > maxTrackIndex || s.Audio > maxTrackIndex || s.Video < 0 || s.Audio < 0) {
			t.Fatalf("%+v out of bounds", s)
		}
	})
}

func TestParseWHEPPath(t *testing.T) {
	if r, ok := parseSessionPath([]byte("/live/cam/whep/"+testSession), false, whepPathElement); !ok || r.name != "live/cam" || r.id != testSession {
		t.Errorf("%+v %v", r, ok)
	}
	if _, ok := parseSessionPath([]byte("/cam/whip"), false, whepPathElement); ok {
		t.Error("a WHIP path taken for WHEP")
	}
}
