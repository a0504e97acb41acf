package main

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestParsePlaylist(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		variants []string
		media    mediaPlaylist
		err      error
	}{
		{
			name: "streamhive master",
			body: "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n" +
				"#EXT-X-STREAM-INF:BANDWIDTH=3699840,CODECS=\"avc1.64001F,mp4a.40.2\",RESOLUTION=1280x720\nmono.m3u8\n",
			variants: []string{"mono.m3u8"},
		},
		{
			name: "media with program date times",
			body: "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:41\n" +
				"#EXT-X-PROGRAM-DATE-TIME:2026-11-23T22:02:02.161Z\n#EXTINF:2.000,\nseg-41.ts\n" +
				"#EXT-X-PROGRAM-DATE-TIME:2026-11-23T22:02:04.161Z\n#EXTINF:2.000,\nseg-42.ts\n",
			media: mediaPlaylist{
				Target: 2 * time.Second, Sequence: 41, Segments: []string{"seg-41.ts", "seg-42.ts"},
				Durations: []time.Duration{2 * time.Second, 2 * time.Second},
				Dates:     []time.Time{time.UnixMilli(1795471322161), time.UnixMilli(1795471324161)},
			},
		},
		{
			name: "CRLF, blank lines, ended",
			body: "#EXTM3U\r\n\r\n#EXT-X-TARGETDURATION:4\r\n#EXTINF:3.9,title\r\n/a/b.ts?x=1\r\n#EXT-X-ENDLIST\r\n",
			media: mediaPlaylist{
				Target: 4 * time.Second, Segments: []string{"/a/b.ts?x=1"}, Ended: true,
				Durations: []time.Duration{3900 * time.Millisecond}, Dates: []time.Time{{}},
			},
		},
		{name: "empty playlist without segments", body: "#EXTM3U\n#EXT-X-TARGETDURATION:2\n", media: mediaPlaylist{Target: 2 * time.Second}},
		{name: "not m3u8", body: "<html>", err: ErrBadPlaylist},
		{name: "empty", body: "", err: ErrBadPlaylist},
		{name: "bad target", body: "#EXTM3U\n#EXT-X-TARGETDURATION:x\n", err: ErrBadPlaylist},
		{name: "bad sequence", body: "#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:-1\n", err: ErrBadPlaylist},
		{name: "segments without target", body: "#EXTM3U\n#EXTINF:2,\na.ts\n", err: ErrBadPlaylist},
		{name: "bad EXTINF", body: "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:x,\na.ts\n", err: ErrBadPlaylist},
		{name: "bad date", body: "#EXTM3U\n#EXT-X-PROGRAM-DATE-TIME:yesterday\n", err: ErrBadPlaylist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pl, err := parsePlaylist(tt.body)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			if !slices.Equal(pl.Variants, tt.variants) {
				t.Errorf("variants = %q, want %q", pl.Variants, tt.variants)
			}
			m := pl.Media
			if m.Target != tt.media.Target || m.Sequence != tt.media.Sequence || m.Ended != tt.media.Ended ||
				!slices.Equal(m.Segments, tt.media.Segments) || !slices.Equal(m.Durations, tt.media.Durations) ||
				!slices.EqualFunc(m.Dates, tt.media.Dates, time.Time.Equal) {
				t.Errorf("media = %+v, want %+v", m, tt.media)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	tests := []struct{ base, ref, want string }{
		{"http://h:1/s1/index.m3u8", "mono.m3u8", "http://h:1/s1/mono.m3u8"},
		{"http://h:1/live/s1/index.m3u8", "/x/seg.ts", "http://h:1/x/seg.ts"},
		{"http://h:1/s1/index.m3u8", "http://o:2/a.ts", "http://o:2/a.ts"},
	}
	for _, tt := range tests {
		if got, err := resolve(tt.base, tt.ref); err != nil || got != tt.want {
			t.Errorf("resolve(%q, %q) = %q, %v; want %q", tt.base, tt.ref, got, err, tt.want)
		}
	}
}

func FuzzParsePlaylist(f *testing.F) {
	f.Add("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:3\n#EXTINF:2,\na.ts\n")
	f.Add("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n")
	f.Fuzz(func(t *testing.T, body string) {
		pl, err := parsePlaylist(body)
		if err != nil {
			return
		}
		if len(pl.Media.Segments) > 0 && len(pl.Variants) == 0 && pl.Media.Target <= 0 {
			t.Fatalf("segments accepted without a target duration: %+v", pl)
		}
	})
}
