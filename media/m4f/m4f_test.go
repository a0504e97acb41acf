package m4f

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protowire"

	"streamhive/media"
	"streamhive/media/m4f/m4fpb"
)

var (
	h264 = media.Track{ID: 0, Codec: media.CodecH264, SPS: []byte{0x67, 0x64, 0, 0x1f}, PPS: []byte{0x68, 0xee}, Width: 1280, Height: 720}
	hevc = media.Track{
		ID: 0, Codec: media.CodecH265, VPS: []byte{0x40, 1}, SPS: []byte{0x42, 1, 1},
		PPS: []byte{0x44, 1}, Width: 3840, Height: 2160,
	}
	aac  = media.Track{ID: 1, Codec: media.CodecAAC, AudioConfig: []byte{0x12, 0x10}, SampleRate: 44100, Channels: 2}
	opus = media.Track{ID: 1, Codec: media.CodecOpus, SampleRate: 48000, Channels: 2}
	// A transcoder's ladder: three renditions of the video, then audio.
	ladder = []media.Track{
		{ID: 0, Codec: media.CodecH264, SPS: []byte{0x67, 1}, PPS: []byte{0x68, 1}, Width: 1920, Height: 1080},
		{ID: 1, Codec: media.CodecH264, SPS: []byte{0x67, 2}, PPS: []byte{0x68, 2}, Width: 1280, Height: 720},
		{ID: 2, Codec: media.CodecH264, SPS: []byte{0x67, 3}, PPS: []byte{0x68, 3}, Width: 640, Height: 360},
		{ID: 3, Codec: media.CodecAAC, AudioConfig: []byte{0x11, 0x90}, SampleRate: 48000, Channels: 2},
	}
)

// item is one record as a test writes it and expects it back.
type item struct {
	tracks []media.Track
	frame  *media.Frame
}

func frame(track int, dts, pts time.Duration, key bool, units ...string) item {
	f := &media.Frame{Track: track, DTS: dts, PTS: pts, Keyframe: key}
	for _, u := range units {
		f.Data = append(f.Data, []byte(u))
	}
	return item{frame: f}
}

func encode(t testing.TB, stream string, items []item) []byte {
	t.Helper()
	var b bytes.Buffer
	w := NewWriter(&b, stream)
	for _, it := range items {
		var err error
		if it.tracks != nil {
			err = w.WriteTracks(it.tracks)
		} else {
			err = w.WriteFrame(it.frame)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()
}

// decode reads b to its end and returns the items and the error that
// ended it (io.EOF for a clean end).
func decode(b []byte) (*Reader, []item, error) {
	r := NewReader(bytes.NewReader(b))
	var out []item
	for {
		tracks, f, err := r.Next()
		if err != nil {
			return r, out, err
		}
		out = append(out, item{tracks: tracks, frame: f})
	}
}

func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name  string
		items []item
	}{
		{"h264 aac", []item{
			{tracks: []media.Track{h264, aac}},
			frame(0, 0, 80*time.Millisecond, true, "\x06sei", "\x65idr"),
			frame(1, 10*time.Millisecond, 10*time.Millisecond, true, "aac"),
			frame(0, 40*time.Millisecond, 40*time.Millisecond, false, "\x41p"),
		}},
		{"hevc opus", []item{
			{tracks: []media.Track{hevc, opus}},
			frame(0, -time.Second, -time.Second+time.Millisecond, true, "\x26\x01irap"),
			frame(1, 0, 0, true, "opus"),
		}},
		{"transcoder renditions", []item{
			{tracks: ladder},
			frame(2, time.Hour, time.Hour, true, "low"),
			frame(1, time.Hour, time.Hour, true, "mid"),
			frame(0, time.Hour, time.Hour, true, "high"),
			frame(3, time.Hour, time.Hour, true, "aac"),
		}},
		{"tracks change mid-stream", []item{
			{tracks: []media.Track{h264}},
			frame(0, 0, 0, true, "a"),
			{tracks: []media.Track{hevc, aac}},
			frame(1, time.Second, time.Second, true, "b"),
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, got, err := decode(encode(t, "live/bunny", tc.items))
			if !errors.Is(err, io.EOF) {
				t.Fatalf("ended with %v, want io.EOF", err)
			}
			if r.Stream() != "live/bunny" {
				t.Errorf("stream %q", r.Stream())
			}
			if !reflect.DeepEqual(got, tc.items) {
				t.Errorf("read back\n%+v\nwant\n%+v", got, tc.items)
			}
		})
	}
}

// record frames one Record by hand, as a hostile or broken peer might.
func record(rec *m4fpb.Record) []byte {
	b, err := appendRecord(nil, rec)
	if err != nil {
		panic(err)
	}
	return b
}

func header(v uint32) []byte {
	return record(&m4fpb.Record{Kind: &m4fpb.Record_Header{Header: &m4fpb.Header{Version: v, Stream: "x"}}})
}

func tracksRec(ts ...*m4fpb.Track) []byte {
	return record(&m4fpb.Record{Kind: &m4fpb.Record_Tracks{Tracks: &m4fpb.Tracks{Tracks: ts}}})
}

func frameRec(f *m4fpb.Frame) []byte {
	return record(&m4fpb.Record{Kind: &m4fpb.Record_Frame{Frame: f}})
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func TestReaderRefuses(t *testing.T) {
	video := &m4fpb.Track{Id: 0, Codec: "h264"}
	okFrame := &m4fpb.Frame{Track: 0, Data: [][]byte{{1}}}
	many := make([]*m4fpb.Track, MaxTracks+1)
	for i := range many {
		many[i] = &m4fpb.Track{Id: int32(i), Codec: "aac"}
	}
	units := make([][]byte, MaxUnits+1)
	for i := range units {
		units[i] = []byte{1}
	}
	huge := protowire.AppendVarint(nil, MaxRecord+1)
	for _, tc := range []struct {
		name string
		in   []byte
		want error
	}{
		{"a record larger than the limit", cat(header(Version), huge), ErrMalformed},
		{"a length and nothing after", cat(header(Version), protowire.AppendVarint(nil, 100)), io.ErrUnexpectedEOF},
		{"a varint cut short", cat(header(Version), []byte{0xff}), io.ErrUnexpectedEOF},
		{"a varint past 64 bits", cat(header(Version), bytes.Repeat([]byte{0xff}, 11)), ErrMalformed},
		{"garbage", []byte(strings.Repeat("<html>not m4f</html>", 100)), ErrMalformed},
		{"another version", header(Version + 1), ErrVersion},
		{"no header first", tracksRec(video), ErrMalformed},
		{"a frame before tracks", cat(header(Version), frameRec(okFrame)), ErrMalformed},
		{"no tracks", cat(header(Version), tracksRec()), ErrMalformed},
		{"too many tracks", cat(header(Version), tracksRec(many...)), ErrMalformed},
		{"an unknown codec", cat(header(Version), tracksRec(&m4fpb.Track{Codec: "vp9"})), ErrMalformed},
		{"a negative ID", cat(header(Version), tracksRec(&m4fpb.Track{Id: -1, Codec: "aac"})), ErrMalformed},
		{"an ID twice", cat(header(Version), tracksRec(video, video)), ErrMalformed},
		{"a huge picture", cat(header(Version), tracksRec(&m4fpb.Track{Codec: "h264", Width: 1 << 20})), ErrMalformed},
		{"a huge SPS", cat(header(Version), tracksRec(&m4fpb.Track{Codec: "h264", Sps: make([]byte, MaxParamSet+1)})), ErrMalformed},
		{"a frame of an unknown track", cat(header(Version), tracksRec(video), frameRec(&m4fpb.Frame{Track: 1, Data: [][]byte{{1}}})), ErrMalformed},
		{"a frame without data", cat(header(Version), tracksRec(video), frameRec(&m4fpb.Frame{})), ErrMalformed},
		{"an empty unit", cat(header(Version), tracksRec(video), frameRec(&m4fpb.Frame{Data: [][]byte{{}}})), ErrMalformed},
		{"too many units", cat(header(Version), tracksRec(video), frameRec(&m4fpb.Frame{Data: units})), ErrMalformed},
		{"a record of no kind", cat(header(Version), record(&m4fpb.Record{})), ErrMalformed},
	} {
		_, _, err := decode(tc.in)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
}

// TestReaderCutShort: a body that ends inside a record is
// io.ErrUnexpectedEOF, never a frame.
func TestReaderCutShort(t *testing.T) {
	b := encode(t, "x", []item{{tracks: []media.Track{h264}}, frame(0, 0, 0, true, strings.Repeat("x", 1000))})
	_, got, err := decode(b[:len(b)-10])
	if !errors.Is(err, io.ErrUnexpectedEOF) || len(got) != 1 || got[0].tracks == nil {
		t.Errorf("got %d items, %v", len(got), err)
	}
}

func FuzzReader(f *testing.F) {
	f.Add(encode(f, "x", []item{{tracks: ladder}, frame(0, 0, 0, true, "a", "b"), frame(3, 1, 1, true, "c")}))
	f.Add(encode(f, "y", []item{{tracks: []media.Track{hevc, opus}}, frame(1, 0, 0, true, "o")}))
	f.Add(cat(header(Version), huge()))
	f.Fuzz(func(t *testing.T, b []byte) {
		r := NewReader(bytes.NewReader(b))
		for range 10000 {
			tracks, fr, err := r.Next()
			if err != nil {
				return
			}
			if (tracks == nil) == (fr == nil) {
				t.Fatalf("Next returned tracks %v and frame %v", tracks, fr)
			}
			if fr != nil && (len(fr.Data) == 0 || len(fr.Data) > MaxUnits) {
				t.Fatalf("a frame of %d units passed", len(fr.Data))
			}
			if len(tracks) > MaxTracks {
				t.Fatalf("%d tracks passed", len(tracks))
			}
		}
	})
}

func huge() []byte { return protowire.AppendVarint(nil, 1<<40) }

func BenchmarkWriteFrame(b *testing.B) {
	w := NewWriter(io.Discard, "x")
	f := &media.Frame{Track: 0, DTS: time.Second, PTS: time.Second, Data: [][]byte{make([]byte, 20000)}}
	if err := w.WriteTracks([]media.Track{h264}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := w.WriteFrame(f); err != nil {
			b.Fatal(err)
		}
	}
}
