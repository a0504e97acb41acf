package hlspull

import (
	"errors"
	"net/url"
	"reflect"
	"testing"
	"time"
)

func TestParsePlaylist(t *testing.T) {
	base, _ := url.Parse("http://origin/live/cam/index.m3u8?token=1")
	for _, tc := range []struct {
		name string
		in   string
		want *Playlist
		err  error
	}{
		{
			name: "live TS",
			in: "\xef\xbb\xbf#EXTM3U\r\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:41\n" +
				"# a comment\n#EXT-X-PROGRAM-DATE-TIME:2024-01-01T00:00:00Z\n#EXTINF:2.000,title, with comma\nseg41.ts\n" +
				"#EXT-X-DISCONTINUITY\n#EXTINF:1.5,\n/abs/seg42.ts\n#EXT-X-KEY:METHOD=NONE\n#EXTINF:2,\nhttp://cdn/seg43.ts\n",
			want: &Playlist{TargetDuration: 2 * time.Second, MediaSequence: 41, Segments: []Segment{
				{URI: "http://origin/live/cam/seg41.ts", Seq: 41, Duration: 2 * time.Second},
				{URI: "http://origin/abs/seg42.ts", Seq: 42, Duration: 1500 * time.Millisecond, Discontinuity: true},
				{URI: "http://cdn/seg43.ts", Seq: 43, Duration: 2 * time.Second},
			}},
		},
		{
			name: "fMP4 ended",
			in:   "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:4,\na.m4s\n#EXT-X-ENDLIST\n",
			want: &Playlist{TargetDuration: 4 * time.Second, Ended: true, Segments: []Segment{
				{URI: "http://origin/live/cam/a.m4s", Duration: 4 * time.Second, Map: "http://origin/live/cam/init.mp4"},
			}},
		},
		{
			name: "master",
			in: "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1280000,CODECS=\"avc1.4d401f,mp4a.40.2\",RESOLUTION=640x360\nlow.m3u8\n" +
				"#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\"\n#EXT-X-STREAM-INF:BANDWIDTH=2560000\nhi/index.m3u8\n",
			want: &Playlist{Variants: []Variant{
				{URI: "http://origin/live/cam/low.m3u8", Bandwidth: 1280000},
				{URI: "http://origin/live/cam/hi/index.m3u8", Bandwidth: 2560000},
			}},
		},
		{name: "empty live", in: "#EXTM3U\n#EXT-X-TARGETDURATION:6\n", want: &Playlist{TargetDuration: 6 * time.Second}},
		{name: "no header", in: "<html></html>", err: ErrPlaylist},
		{name: "nothing", in: "", err: ErrPlaylist},
		{name: "no target duration", in: "#EXTM3U\n#EXTINF:2,\na.ts\n", err: ErrPlaylist},
		{name: "bad EXTINF", in: "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:x,\na.ts\n", err: ErrPlaylist},
		{name: "URI alone", in: "#EXTM3U\n#EXT-X-TARGETDURATION:2\na.ts\n", err: ErrPlaylist},
		{name: "bad sequence", in: "#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:-1\n", err: ErrPlaylist},
		{name: "no bandwidth", in: "#EXTM3U\n#EXT-X-STREAM-INF:CODECS=\"x\"\na.m3u8\n", err: ErrPlaylist},
		{name: "encrypted", in: "#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI=\"k\"\n", err: ErrUnsupported},
		{name: "byte range", in: "#EXTM3U\n#EXT-X-BYTERANGE:100@0\n", err: ErrUnsupported},
		{name: "map byte range", in: "#EXTM3U\n#EXT-X-MAP:URI=\"i.mp4\",BYTERANGE=\"10@0\"\n", err: ErrUnsupported},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParsePlaylist([]byte(tc.in), base)
			if !errors.Is(err, tc.err) {
				t.Fatalf("error %v, want %v", err, tc.err)
			}
			if err == nil && !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestParseAttributes(t *testing.T) {
	got := parseAttributes(`BANDWIDTH=10,CODECS="avc1.4d401f,mp4a.40.2", NAME="a=b" ,X=`)
	want := map[string]string{"BANDWIDTH": "10", "CODECS": "avc1.4d401f,mp4a.40.2", "NAME": "a=b", "X": ""}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q", got)
	}
	if got := parseAttributes(`URI="unterminated`); len(got) != 0 {
		t.Errorf("unterminated quote: %q", got)
	}
}

func TestChooseVariant(t *testing.T) {
	vs := []Variant{{URI: "a", Bandwidth: 5}, {URI: "b", Bandwidth: 9}, {URI: "c", Bandwidth: 9}}
	if v, _ := chooseVariant(vs, -1); v.URI != "b" {
		t.Errorf("highest bandwidth: %s, want the first of the highest (b)", v.URI)
	}
	if v, _ := chooseVariant(vs, 0); v.URI != "a" {
		t.Errorf("variant 0: %s", v.URI)
	}
	if _, err := chooseVariant(vs, 3); !errors.Is(err, ErrBadOptions) {
		t.Errorf("variant 3 of 3: %v", err)
	}
}

// FuzzPlaylist: no input panics the parser, and what it accepts is
// consistent: a master playlist has no segments, a media playlist has a
// target duration and consecutive sequence numbers.
func FuzzPlaylist(f *testing.F) {
	f.Add([]byte("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:7\n#EXTINF:2,\na.ts\n#EXT-X-DISCONTINUITY\n#EXTINF:2.5,\nb.ts\n"))
	f.Add([]byte("#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:4,\na.m4s\n#EXT-X-ENDLIST\n"))
	f.Add([]byte("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS=\"a,b\"\nlow.m3u8\n"))
	f.Add([]byte("#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI=\"k\"\n"))
	base, _ := url.Parse("http://h/p/index.m3u8")
	f.Fuzz(func(t *testing.T, b []byte) {
		pl, err := ParsePlaylist(b, base)
		if err != nil {
			return
		}
		if pl.Master() {
			if len(pl.Segments) > 0 {
				t.Fatal("a master playlist with segments")
			}
			return
		}
		if pl.TargetDuration <= 0 {
			t.Fatal("a media playlist without a target duration")
		}
		for i, s := range pl.Segments {
			if s.Seq != pl.MediaSequence+uint64(i) || s.URI == "" || s.Duration < 0 {
				t.Fatalf("segment %d: %+v", i, s)
			}
		}
	})
}
