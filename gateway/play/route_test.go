package play

import (
	"testing"

	"streamhive/media/hls"
	"streamhive/media/segment"
)

func TestParsePath(t *testing.T) {
	cases := []struct {
		path string
		want route
		err  bool
	}{
		{path: "/bunny/index.m3u8", want: route{name: "bunny", kind: kindMaster, format: hls.TS}},
		{path: "/live/bunny/index.m3u8", want: route{name: "live/bunny", kind: kindMaster, format: hls.TS}},
		{path: "/a/b/c/index.ll.m3u8", want: route{name: "a/b/c", kind: kindMaster, format: hls.FMP4, lowLatency: true}},
		{path: "/x/index.fmp4.m3u8", want: route{name: "x", kind: kindMaster, format: hls.FMP4}},
		{path: "/x/mono.m3u8", want: route{name: "x", kind: kindMedia, format: hls.TS}},
		{path: "/x/mono.ll.m3u8", want: route{name: "x", kind: kindMedia, format: hls.TS, lowLatency: true}},
		{path: "/x/track-1.m3u8", want: route{name: "x", kind: kindMedia, format: hls.FMP4, track: 1}},
		{path: "/x/track-12.ll.m3u8", want: route{name: "x", kind: kindMedia, format: hls.FMP4, track: 12, lowLatency: true}},
		{path: "/x/video.m3u8", want: route{name: "x", kind: kindMedia, format: hls.TS, stb: true}},
		{path: "/live/x/tracks-v1a1/mono.m3u8", want: route{name: "live/x", kind: kindMedia, format: hls.TS, tracks: "v1a1"}},
		{path: "/x/tracks-a2/mono.ll.m3u8", want: route{name: "x", kind: kindMedia, format: hls.TS, lowLatency: true, tracks: "a2"}},
		{path: "/x/tracks-v2a1a2/index.m3u8", want: route{name: "x", kind: kindMaster, format: hls.TS, tracks: "v2a1a2"}},
		{path: "/x/tracks-v1/seg-3.part-1.ts", want: route{name: "x", kind: kindSegment, format: hls.TS, ref: hls.Ref{MSN: 3, Part: 1}, tracks: "v1"}},
		{path: "/x/tracks-v1/seg-3.t0.m4s", err: true},
		{path: "/x/tracks-v1/track-0.m3u8", err: true},
		{path: "/x/tracks-v1/index.ll.m3u8", err: true},
		{path: "/x/tracks-v0/mono.m3u8", want: route{name: "x/tracks-v0", kind: kindMedia, format: hls.TS}},
		{path: "/x/tracks-/mono.m3u8", want: route{name: "x/tracks-", kind: kindMedia, format: hls.TS}},
		{path: "/x/index.mpd", want: route{name: "x", kind: kindMPD}},
		{path: "/live/x/mpegts", want: route{name: "live/x", kind: kindMPEGTS}},
		{path: "/x/preview.jpg", want: route{name: "x", kind: kindPreview}},
		{path: "/x/seg-3.ts", want: route{name: "x", kind: kindSegment, format: hls.TS, ref: hls.Ref{MSN: 3, Part: -1}}},
		{path: "/x/seg-3.part-2.t1.m4s", want: route{
			name: "x", kind: kindSegment, format: hls.FMP4, track: 1,
			ref: hls.Ref{Format: hls.FMP4, MSN: 3, Part: 2, Track: 1},
		}},
		{path: "/x/init-2.t0.mp4", want: route{
			name: "x", kind: kindSegment, format: hls.FMP4,
			ref: hls.Ref{Format: hls.FMP4, Init: true, Epoch: 2, Part: -1},
		}},
		{path: "/x/dash-seg-3.t1.m4s", want: route{
			name: "x", kind: kindSegment, format: hls.FMP4, track: 1, dash: true,
			ref: hls.Ref{Format: hls.FMP4, MSN: 3, Part: -1, Track: 1},
		}},
		{path: "/x/dash-init-2.t0.mp4", want: route{
			name: "x", kind: kindSegment, format: hls.FMP4, dash: true,
			ref: hls.Ref{Format: hls.FMP4, Init: true, Epoch: 2, Part: -1},
		}},
		{path: "/x/dash-seg-3.ts", err: true},
		{path: "/x/dash-seg-3.part-1.t0.m4s", err: true},
		{path: "/x/dash-dash-seg-3.t0.m4s", err: true},
		{path: "/index.m3u8", err: true},
		{path: "//index.m3u8", err: true},
		{path: "/", err: true},
		{path: "", err: true},
		{path: "/x/", err: true},
		{path: "/x/track-01.m3u8", err: true},
		{path: "/x/track--1.m3u8", err: true},
		{path: "/x/track-.m3u8", err: true},
		{path: "/x/other.m3u8", err: true},
		{path: "/x/seg-x.ts", err: true},
		{path: "/x/mpegts/", err: true},
		{path: "/live/x/images-320x240/seg-1641045644-20.hls.jpg", want: route{
			name: "live/x", kind: kindImage, thumb: thumbRoute{w: 320, h: 240, at: 1641045664},
		}},
		{path: "/images-320x240/seg-1-2.hls.jpg", err: true}, // no stream name
		{path: "/x/images-0x240/seg-1-2.hls.jpg", err: true},
		{path: "/x/images-5000x240/seg-1-2.hls.jpg", err: true},
		{path: "/x/images-320x/seg-1-2.hls.jpg", err: true},
		{path: "/x/images-320x240/seg-01-2.hls.jpg", err: true},
		{path: "/x/images-320x240/seg--1-2.hls.jpg", err: true},
		{path: "/x/images-320x240/seg-+1-2.hls.jpg", err: true},
		{path: "/x/images-320x240/seg-1-2.jpg", err: true},
		{path: "/x/images-320x240/seg-1234567890123-2.hls.jpg", err: true},
	}
	for _, c := range cases {
		got, err := parsePath(c.path)
		if c.err {
			if err == nil {
				t.Errorf("%q: got %+v, want an error", c.path, got)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q: got %+v, %v; want %+v", c.path, got, err, c.want)
		}
	}
}

// TestParseNamesRoundTrip: every name hls.DefaultNames writes routes back
// to what it names.
func TestParseNamesRoundTrip(t *testing.T) {
	names := hls.DefaultNames{}
	for _, ll := range []bool{false, true} {
		for _, f := range []hls.Format{hls.TS, hls.FMP4} {
			r, err := parseFile(names.Playlist(f, 3, ll))
			if err != nil || r.kind != kindMedia || r.format != f || r.lowLatency != ll || (f == hls.FMP4 && r.track != 3) {
				t.Errorf("playlist %v ll=%v: got %+v, %v", f, ll, r, err)
			}
		}
	}
	seg := &segment.Segment{MSN: 42}
	for _, name := range []string{
		names.Segment(seg, hls.TS, 0), names.Segment(seg, hls.FMP4, 1),
		names.Part(seg, 2, hls.TS, 0), names.Part(seg, 2, hls.FMP4, 1),
		names.Init(&segment.Init{Epoch: 5}, 1),
	} {
		if r, err := parseFile(name); err != nil || r.kind != kindSegment {
			t.Errorf("%q: got %+v, %v", name, r, err)
		}
	}
}

func FuzzParsePath(f *testing.F) {
	for _, s := range []string{"/live/bunny/index.m3u8", "/x/track-1.ll.m3u8", "/x/seg-3.part-2.t1.m4s", "/x/init-2.t0.mp4", "/x/mpegts", "//", "/a/b/", "/x/images-320x240/seg-1641045644-20.hls.jpg", "/x/tracks-v1a1/mono.m3u8", "/x/tracks-a1/seg-2.part-1.ts", "/x/images-320x180/index.m3u8", "/x/images-160x90/dvr-1641045644-20.m4v.jpg"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		r, err := parsePath(path)
		if err != nil {
			return
		}
		if r.name == "" || "/"+r.name+"/" != path[:len(r.name)+2] {
			t.Errorf("%q: stream name %q is not the path's prefix", path, r.name)
		}
		if (r.kind == kindImage || r.kind == kindImagePlaylist) && (r.thumb.w <= 0 || r.thumb.h <= 0 || r.thumb.w > maxThumbSide || r.thumb.h > maxThumbSide || r.thumb.at < 0) {
			t.Errorf("%q: thumbnail %+v out of bounds", path, r.thumb)
		}
		if r.kind == kindMedia && r.format == hls.FMP4 && r.track < 0 {
			t.Errorf("%q: track %d", path, r.track)
		}
		if r.tracks != "" {
			if _, err := parseTrackList(r.tracks); err != nil || len(r.tracks) > maxTrackQuery || r.format != hls.TS {
				t.Errorf("%q: selection %q of format %d", path, r.tracks, r.format)
			}
		}
	})
}

func TestArchiveThumbnailPath(t *testing.T) {
	r, err := parsePath("/cam/images-160x90/dvr-1641045644-20.m4v.jpg")
	if err != nil || r.kind != kindImage || r.name != "cam" || r.thumb != (thumbRoute{w: 160, h: 90, at: 1641045664, dvr: true}) {
		t.Fatalf("got %+v, %v", r, err)
	}
	for _, p := range []string{"/cam/images-160x90/dvr-1641045644-20.hls.jpg", "/cam/images-160x90/seg-1641045644-20.m4v.jpg"} {
		if r, err := parsePath(p); err == nil && r.kind == kindImage {
			t.Errorf("%s: parsed as a thumbnail", p)
		}
	}
}

func TestImagePlaylistPath(t *testing.T) {
	r, err := parsePath("/live/cam/images-320x180/index.m3u8")
	if err != nil || r.kind != kindImagePlaylist || r.name != "live/cam" || r.thumb.w != 320 || r.thumb.h != 180 {
		t.Fatalf("got %+v, %v", r, err)
	}
	for _, p := range []string{"/a/images-0x180/index.m3u8", "/a/images-320x180/mono.m3u8", "/a/images-99999x1/index.m3u8", "/a/images-320/index.m3u8"} {
		if r, err := parsePath(p); err == nil && r.kind == kindImagePlaylist {
			t.Errorf("%s: parsed as an image playlist", p)
		}
	}
}

// A thumbnail URL answers the stream's picture for FROM+OFFSET in the box,
// as a JPEG; a stream that is not producing answers 503.
func TestThumbnailURL(t *testing.T) {
	hr := newHarness(t)
	resp, body := hr.get(t, "/live/bunny/images-320x240/seg-1641045644-20.hls.jpg")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != typeJPEG || len(body) < 2 || body[0] != 0xff || body[1] != 0xd8 {
		t.Fatalf("thumbnail: %d %s %.20q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	live := hr.streams["live/bunny"]
	live.mu.Lock()
	ask := live.thumbAsk
	live.mu.Unlock()
	if ask != [3]int64{1641045664, 320, 240} {
		t.Errorf("asked %v, want at 1641045664 in 320x240", ask)
	}
	if resp, _ := hr.get(t, "/idle/images-320x240/seg-1641045644-20.hls.jpg"); resp.StatusCode != 503 {
		t.Errorf("idle stream: %d, want 503", resp.StatusCode)
	}
	if resp, _ := hr.get(t, "/nohls/images-320x240/seg-1641045644-20.hls.jpg"); resp.StatusCode != 403 {
		t.Errorf("jpeg disabled: %d, want 403", resp.StatusCode)
	}
}
