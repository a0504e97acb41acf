package vod

import (
	"errors"
	"strings"
	"testing"
)

func TestParseSMIL(t *testing.T) {
	doc := `<?xml version="1.0" encoding="UTF-8"?>
<smil title="">
  <body>
    <switch>
      <video height="240" src="bunny_450.mp4" systemLanguage="eng" width="424" system-bitrate="450000"/>
      <video height="480" src="hd/bunny_1100.mp4" width="848"/>
      <video title="no source"/>
    </switch>
  </body>
</smil>`
	got, err := ParseSMIL([]byte(doc), "movies")
	if err != nil {
		t.Fatal(err)
	}
	want := []Rendition{
		{Path: "movies/bunny_450.mp4", Bitrate: 450000, Width: 424, Height: 240, Language: "eng"},
		{Path: "movies/hd/bunny_1100.mp4", Width: 848, Height: 480},
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}

func TestParseSMILRefuses(t *testing.T) {
	deep := "<smil>" + strings.Repeat("<a>", maxSMILDepth) + strings.Repeat("</a>", maxSMILDepth) + "</smil>"
	many := "<smil><switch>" + strings.Repeat(`<video src="a.mp4"/>`, MaxSMILRenditions+1) + "</switch></smil>"
	for _, tc := range []struct {
		name, doc string
		want      error
	}{
		{"escape", `<smil><video src="../../etc/passwd.mp4"/></smil>`, ErrBadPath},
		{"absolute", `<smil><video src="/etc/x.mp4"/></smil>`, ErrBadPath},
		{"url", `<smil><video src="http://x/a.mp4"/></smil>`, ErrBadPath},
		{"empty", `<smil><body/></smil>`, ErrBadSMIL},
		{"not smil", `<html><video src="a.mp4"/></html>`, ErrBadSMIL},
		{"broken", `<smil><video src="a.mp4">`, ErrBadSMIL},
		{"deep", deep, ErrBadSMIL},
		{"many", many, ErrBadSMIL},
		{"big", "<smil>" + strings.Repeat(" ", MaxSMILBytes) + "</smil>", ErrBadSMIL},
	} {
		if _, err := ParseSMIL([]byte(tc.doc), "movies"); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
}

func FuzzParseSMIL(f *testing.F) {
	f.Add([]byte(`<smil><body><switch><video src="a.mp4" width="640" height="360" system-bitrate="800000"/></switch></body></smil>`), "dir")
	f.Add([]byte(`<smil><video src="../x.mp4"/></smil>`), "")
	f.Fuzz(func(t *testing.T, b []byte, dir string) {
		rs, err := ParseSMIL(b, dir)
		if err != nil {
			return
		}
		if len(rs) == 0 || len(rs) > MaxSMILRenditions {
			t.Fatalf("%d renditions", len(rs))
		}
		for _, r := range rs {
			if strings.HasPrefix(r.Path, "/") || r.Path == ".." || strings.HasPrefix(r.Path, "../") {
				t.Fatalf("path %q leaves the storage", r.Path)
			}
		}
	})
}
