package remote

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/media/dvr"
	"streamhive/media/segment"
)

func validPage() []byte {
	rec := dvr.Record{
		Start: time.Unix(1700000000, 123456789), Duration: 2 * time.Second, DTS: time.Second, Epoch: 1,
		Spans: []segment.Span{{Timescale: 90000, Base: 90000, Length: 180000, Samples: 50}}, Keyframe: true, Size: 1000,
	}
	p := Page{Ranges: []Range{RangeOf(dvr.Range{From: rec.Start, Duration: rec.Duration})}, Records: []Record{RecordOf(rec)}}
	b, _ := json.Marshal(p)
	return b
}

// TestParsePage: a page round-trips exactly; out-of-bound or inconsistent
// pages are refused with ErrBadAnswer.
func TestParsePage(t *testing.T) {
	p, err := ParsePage(validPage())
	if err != nil {
		t.Fatal(err)
	}
	if rec := p.Records[0].record(); rec.Start.UnixNano() != 1700000000123456789 || rec.Spans[0].Samples != 50 {
		t.Errorf("record %+v", rec)
	}
	many := `{"records":[` + strings.Repeat(`{"start_ns":1,"duration_ns":1},`, MaxPageRecords) + `{"start_ns":2,"duration_ns":1}]}`
	for name, b := range map[string]string{
		"not json":      `{`,
		"zero duration": `{"records":[{"start_ns":1,"duration_ns":0}]}`,
		"negative size": `{"records":[{"start_ns":1,"duration_ns":1,"size":-1}]}`,
		"out of order":  `{"records":[{"start_ns":2,"duration_ns":1},{"start_ns":1,"duration_ns":1}]}`,
		"ranges":        `{"ranges":[{"from_ns":5},{"from_ns":1}]}`,
		"spans":         `{"records":[{"start_ns":1,"duration_ns":1,"spans":[` + strings.Repeat(`{},`, MaxTracks) + `{}]}]}`,
		"too many":      many,
		"too big":       strings.Repeat(" ", MaxPageBytes+1),
	} {
		if _, err := ParsePage([]byte(b)); !errors.Is(err, ErrBadAnswer) {
			t.Errorf("%s: %v, want ErrBadAnswer", name, err)
		}
	}
}

// TestParseInitAndParts: inits must hold one segment and timescale per
// track; parts must add up to the body.
func TestParseInitAndParts(t *testing.T) {
	good, _ := json.Marshal(dvr.Init{Tracks: []media.Track{{ID: 0, Codec: media.CodecH264}}, CMAF: [][]byte{{1}}, Timescales: []uint32{90000}})
	if in, err := ParseInit(good); err != nil || in.Tracks[0].Codec != media.CodecH264 {
		t.Fatalf("%+v, %v", in, err)
	}
	for _, b := range []string{`{"Tracks":[{"ID":0}]}`, `{"Tracks":[{"ID":1}],"CMAF":[""],"Timescales":[1]}`, `[`} {
		if _, err := ParseInit([]byte(b)); !errors.Is(err, ErrBadAnswer) {
			t.Errorf("%s: %v", b, err)
		}
	}
	if p, err := ParseParts("3,0,4", 7); err != nil || len(p) != 3 || p[2] != 4 {
		t.Errorf("%v, %v", p, err)
	}
	for _, h := range []string{"", "3,5", "-1,8", "x", "7,", strings.Repeat("0,", MaxTracks) + "7"} {
		if _, err := ParseParts(h, 7); !errors.Is(err, ErrBadAnswer) {
			t.Errorf("%q: %v", h, err)
		}
	}
}

func FuzzParsePage(f *testing.F) {
	f.Add(validPage())
	f.Add([]byte(`{"records":[{"start_ns":1,"duration_ns":1,"spans":[{}]}],"more":true}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParsePage(b)
		if err != nil {
			return
		}
		if len(p.Records) > MaxPageRecords || len(p.Ranges) > MaxRanges {
			t.Fatalf("bounds passed: %d records", len(p.Records))
		}
		for _, r := range p.Records {
			if rec := r.record(); rec.Duration <= 0 || len(rec.Spans) > MaxTracks {
				t.Fatalf("bad record accepted: %+v", rec)
			}
		}
	})
}

func FuzzParseInit(f *testing.F) {
	good, _ := json.Marshal(dvr.Init{Tracks: []media.Track{{ID: 0, Codec: media.CodecH264}}, CMAF: [][]byte{{1}}, Timescales: []uint32{90000}})
	f.Add(good)
	f.Fuzz(func(t *testing.T, b []byte) {
		in, err := ParseInit(b)
		if err == nil && (len(in.CMAF) != len(in.Tracks) || len(in.Tracks) > MaxTracks) {
			t.Fatalf("inconsistent init accepted")
		}
	})
}

func FuzzParseParts(f *testing.F) {
	f.Add("3,0,4", 7)
	f.Fuzz(func(t *testing.T, h string, body int) {
		p, err := ParseParts(h, body)
		if err != nil {
			return
		}
		sum := 0
		for _, n := range p {
			sum += n
		}
		if sum != body || len(p) > MaxTracks {
			t.Fatalf("%q for %d: %v", h, body, p)
		}
	})
}
