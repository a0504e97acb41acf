package vod

import (
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"testing"

	"streamhive/media/segment"
)

// TestText: the clip's mov_text track ("hello" for the first 1.5 s of
// the picture) is a SUBTITLES rendition of both masters, with a WebVTT
// segment per file segment; the cue lies in the segments it overlaps, on
// each variant's timeline (TS: TSBase ahead, with the map saying so), and
// in the MPD's text AdaptationSet's whole file.
func TestText(t *testing.T) {
	for _, name := range []string{"progressive.mp4", "fragmented.mp4"} {
		a := testAsset(t, name)
		first, err := a.movie.Frame(0, 0)
		if err != nil {
			t.Fatal(err)
		}
		zero := first.PTS // the picture's first PTS: the text's 0
		for _, v := range []struct {
			master, playlist, segment, mpegts string
			shift                             int64
		}{
			{"index.m3u8", "text-0.m3u8", "text-0-%d.vtt", "900000", segment.TSBase.Milliseconds()},
			{"index.fmp4.m3u8", "text-0.fmp4.m3u8", "text-0-%d.fmp4.vtt", "0", 0},
		} {
			master, err := a.Master(v.master != "index.m3u8", "?t=1")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(master), `#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs"`) ||
				!strings.Contains(string(master), `URI="`+v.playlist+`?t=1"`) || !strings.Contains(string(master), `SUBTITLES="subs"`) {
				t.Fatalf("%s %s:\n%s", name, v.master, master)
			}
			pl := textBody(t, a, v.playlist)
			if n := strings.Count(pl, ".vtt?t=1\n"); n != a.Segments() || !strings.HasSuffix(pl, "#EXT-X-ENDLIST\n") {
				t.Fatalf("%s %s: %d segments of %d:\n%s", name, v.playlist, n, a.Segments(), pl)
			}
			start := zero.Milliseconds() + v.shift
			cue := fmt.Sprintf("\n%s --> %s\nhello\n", ms(start), ms(start+1500))
			for k := range a.Segments() {
				seg := textBody(t, a, fmt.Sprintf(v.segment, k))
				from, _ := a.Span(k)
				head := fmt.Sprintf("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:%s,LOCAL:%s\n", v.mpegts, ms(v.shift))
				if has := strings.Contains(seg, cue); !strings.HasPrefix(seg, head) || has != (from.Milliseconds() < zero.Milliseconds()+1500) {
					t.Errorf("%s segment %d from %v:\n%s", name, k, from, seg)
				}
			}
		}
		whole := textBody(t, a, "text-0.vtt")
		if whole != fmt.Sprintf("WEBVTT\n\n%s --> %s\nhello\n", ms(zero.Milliseconds()), ms(zero.Milliseconds()+1500)) {
			t.Errorf("%s whole:\n%s", name, whole)
		}
		mpd, err := a.MPD("")
		if err != nil {
			t.Fatal(err)
		}
		if err := xml.Unmarshal(mpd, new(struct{})); err != nil || !strings.Contains(string(mpd), `contentType="text" mimeType="text/vtt"`) ||
			!strings.Contains(string(mpd), "<BaseURL>text-0.vtt</BaseURL>") {
			t.Errorf("%s MPD (%v):\n%s", name, err, mpd)
		}
	}
}

// TestTextNames: only the exact spellings are subtitle names, and a track
// or segment the file lacks is not found.
func TestTextNames(t *testing.T) {
	a := testAsset(t, "progressive.mp4")
	for _, name := range []string{"text-01.m3u8", "text--1.m3u8", "text-0.m3u8x", "text-0-+1.vtt", "track-0.m3u8", "text-.vtt"} {
		if _, _, ok, _ := a.Text(name, ""); ok {
			t.Errorf("%q read as a subtitle name", name)
		}
	}
	for _, name := range []string{"text-1.m3u8", "text-1.vtt", "text-0-99.vtt"} {
		if _, _, ok, err := a.Text(name, ""); !ok || !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrNoSegment) {
			t.Errorf("%q: %v %v", name, ok, err)
		}
	}
}

func textBody(t *testing.T, a *Asset, name string) string {
	t.Helper()
	b, _, ok, err := a.Text(name, "?t=1")
	if !ok || err != nil {
		t.Fatalf("%s: %v %v", name, ok, err)
	}
	return string(b)
}

func ms(v int64) string {
	return fmt.Sprintf("%02d:%02d:%02d.%03d", v/3_600_000, v/60_000%60, v/1000%60, v%1000)
}

// TestTextLanguage: mdhd's language names the rendition and the
// AdaptationSet; "und" (or a code that is not one) names neither.
func TestTextLanguage(t *testing.T) {
	a := testAsset(t, "progressive.mp4")
	for lang, want := range map[string][2]string{
		"fra":  {`NAME="fra",LANGUAGE="fra",`, ` lang="fra"`},
		"und":  {`NAME="subtitles0",DEFAULT`, `mimeType="text/vtt">`},
		"```":  {`NAME="subtitles0",DEFAULT`, `mimeType="text/vtt">`},
		"en\"": {`NAME="subtitles0",DEFAULT`, `mimeType="text/vtt">`},
	} {
		a.movie.Subtitles[0].Language = lang
		master, err := a.Master(true, "")
		if err != nil {
			t.Fatal(err)
		}
		mpd, err := a.MPD("")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(master), want[0]) || !strings.Contains(string(mpd), want[1]) {
			t.Errorf("%q:\n%s\n%s", lang, master, mpd)
		}
	}
}
