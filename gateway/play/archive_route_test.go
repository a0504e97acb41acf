package play

import (
	"strings"
	"testing"

	"streamhive/media/hls"
)

func TestParseArchive(t *testing.T) {
	rng := window{mode: winRange, from: 1700000000, secs: 60}
	cases := []struct {
		file string
		want archiveRoute
		ok   bool
	}{
		{"index-1700000000-60.m3u8", archiveRoute{kind: arcMaster, win: rng}, true},
		{"archive-1700000000-60.m3u8", archiveRoute{kind: arcMaster, win: rng}, true},
		{"index-1700000000-now.m3u8", archiveRoute{kind: arcMaster, win: window{mode: winEvent, from: 1700000000}}, true},
		{"index-1700000000-60.fmp4.m3u8", archiveRoute{kind: arcMaster, win: rng, format: hls.FMP4}, true},
		{"timeshift_abs-1700000000.m3u8", archiveRoute{kind: arcMaster, win: window{mode: winAbs, from: 1700000000}}, true},
		{"timeshift_rel-30.m3u8", archiveRoute{kind: arcMaster, win: window{mode: winRel, secs: 30}}, true},
		{"rewind-7200.m3u8", archiveRoute{kind: arcMaster, win: window{mode: winRewind, secs: 7200}}, true},
		{"rewind-60.fmp4.m3u8", archiveRoute{kind: arcMaster, win: window{mode: winRewind, secs: 60}, format: hls.FMP4}, true},
		{"mono-1700000000-60.m3u8", archiveRoute{kind: arcMedia, win: rng}, true},
		{"mono-timeshift_rel-30.m3u8", archiveRoute{kind: arcMedia, win: window{mode: winRel, secs: 30}}, true},
		{"track-1-rewind-60.m3u8", archiveRoute{kind: arcMedia, win: window{mode: winRewind, secs: 60}, format: hls.FMP4, track: 1}, true},
		{"track-0-1700000000-now.m3u8", archiveRoute{kind: arcMedia, win: window{mode: winEvent, from: 1700000000}, format: hls.FMP4}, true},
		{"dvr-1700000000123.ts", archiveRoute{kind: arcSegment, ms: 1700000000123}, true},
		{"dvr-1700000000123.t1.m4s", archiveRoute{kind: arcSegment, format: hls.FMP4, track: 1, ms: 1700000000123}, true},
		{"dvr-init-1700000000123.t0.mp4", archiveRoute{kind: arcInit, format: hls.FMP4, ms: 1700000000123}, true},
		{"dvr-dash-init-1700000000123.t0.mp4", archiveRoute{kind: arcInit, format: hls.FMP4, ms: 1700000000123, dash: true}, true},
		{"dvr-1700000000123-900000.t0.m4s", archiveRoute{kind: arcDASHSeg, format: hls.FMP4, ms: 1700000000123, time: 900000}, true},
		{"index-1700000000-60.mpd", archiveRoute{kind: arcMPD, win: rng}, true},
		{"archive-1700000000-60.mpd", archiveRoute{kind: arcMPD, win: rng}, true},
		{"rewind-120.mpd", archiveRoute{kind: arcMPD, win: window{mode: winRewind, secs: 120}}, true},
		{"archive-1700000000-60.ts", archiveRoute{kind: arcTS, win: rng}, true},
		{"archive-1700000000-60.mp4", archiveRoute{kind: arcMP4, win: rng}, true},
		{"1700000000.jpg", archiveRoute{kind: arcJPEG, win: window{from: 1700000000}}, true},
		{"1700000000-preview.jpg", archiveRoute{kind: arcJPEG, win: window{from: 1700000000}}, true},
		{"1700000000-preview.mp4", archiveRoute{kind: arcPreviewMP4, win: window{from: 1700000000}}, true},
		{"x-preview.mp4", archiveRoute{}, false},
		{"recording_status.json", archiveRoute{kind: arcStatus}, true},
		// The timeshift manifests DASH players reload (Location) and the
		// continuous MPEG-TS forms.
		{"timeshift_rel-30.mpd", archiveRoute{kind: arcMPD, win: window{mode: winRel, secs: 30}}, true},
		{"timeshift_abs-1700000000.mpd", archiveRoute{kind: arcMPD, win: window{mode: winAbs, from: 1700000000}}, true},
		{"timeshift_abs-1700000000.ts", archiveRoute{kind: arcLiveTS, win: window{mode: winAbs, from: 1700000000}}, true},
		{"timeshift_rel-7200.ts", archiveRoute{kind: arcLiveTS, win: window{mode: winRel, secs: 7200}}, true},

		{"index-1700000000-0.m3u8", archiveRoute{}, false},
		{"index-1700000000.m3u8", archiveRoute{}, false},
		{"index-01700000000-60.m3u8", archiveRoute{}, false},
		{"index--5-60.m3u8", archiveRoute{}, false},
		{"index-1700000000-60-5.m3u8", archiveRoute{}, false},
		{"index-now-60.m3u8", archiveRoute{}, false},
		{"timeshift_rel-0.m3u8", archiveRoute{}, false},
		{"timeshift_rel-0.ts", archiveRoute{}, false},
		{"timeshift_abs-01700000000.ts", archiveRoute{}, false},
		{"mono-timeshift_abs-1700000000.m3u8", archiveRoute{}, false},
		{"track-x-rewind-60.m3u8", archiveRoute{}, false},
		{"archive-1700000000-now.ts", archiveRoute{}, false},
		{"rewind-60.ts", archiveRoute{}, false},
		{"dvr-.ts", archiveRoute{}, false},
		{"dvr-12.m4s", archiveRoute{}, false},
		{"dvr-12.t.m4s", archiveRoute{}, false},
		{"dvr-init-12.mp4", archiveRoute{}, false},
		{"dvr-12-01.t0.m4s", archiveRoute{}, false},
		{"99999999999999999999.jpg", archiveRoute{}, false},
		{"x.jpg", archiveRoute{}, false},
	}
	for _, c := range cases {
		got, ok := parseArchive(c.file)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("%q: got %+v %v, want %+v %v", c.file, got, ok, c.want, c.ok)
		}
	}
}

// TestArchivePaths: archive names route through parsePath with the stream
// name before them, and live names still route as before.
func TestArchivePaths(t *testing.T) {
	r, err := parsePath("/live/bunny/index-1700000000-60.m3u8")
	if err != nil || r.name != "live/bunny" || r.kind != kindArchive || r.arc.kind != arcMaster {
		t.Errorf("got %+v, %v", r, err)
	}
	for _, p := range []string{"/x/index.m3u8", "/x/preview.jpg", "/x/mono.m3u8", "/x/track-1.m3u8", "/x/seg-3.ts"} {
		if r, err := parsePath(p); err != nil || r.kind == kindArchive {
			t.Errorf("%s: got %+v, %v", p, r, err)
		}
	}
}

// TestWindowSpecRoundTrip: a window's spec parses back to it.
func TestWindowSpecRoundTrip(t *testing.T) {
	for _, w := range []window{
		{mode: winRange, from: 1, secs: 2},
		{mode: winEvent, from: 5},
		{mode: winRel, secs: 30},
		{mode: winRewind, secs: 7200},
		{mode: winAbs, from: 1700000000},
	} {
		if got, ok := parseWindow(w.spec()); !ok || got != w {
			t.Errorf("%+v: %q parses to %+v %v", w, w.spec(), got, ok)
		}
	}
}

func FuzzParseArchive(f *testing.F) {
	for _, s := range []string{
		"index-1700000000-60.m3u8", "track-1-rewind-60.m3u8", "dvr-1700000000123-900000.t0.m4s",
		"dvr-init-1.t0.mp4", "archive-1-2.mp4", "1.jpg", "timeshift_abs-5.fmp4.m3u8", "mono-5-now.m3u8",
		"timeshift_rel-30.ts", "timeshift_abs-5.mpd",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, file string) {
		r, ok := parseArchive(file)
		if !ok {
			return
		}
		if strings.Contains(file, "/") {
			t.Errorf("%q: a name with a slash parsed", file)
		}
		if r.win.from < 0 || r.win.secs < 0 || r.win.from >= maxSeconds || r.win.secs >= maxSeconds || r.track < 0 || r.ms < 0 {
			t.Errorf("%q: out of range: %+v", file, r)
		}
		if r.kind == arcMedia || r.kind == arcMaster {
			if w, ok := parseWindow(r.win.spec()); !ok || w != r.win {
				t.Errorf("%q: window %+v does not round-trip", file, r.win)
			}
		}
	})
}
