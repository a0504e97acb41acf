package rtmp

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"

	"streamhive/media"
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// Parameter sets of a 320x180 picture, from x264 and x265.
var (
	h264SPS = mustHex("6742c00cda05067e7c0440000003004000000c83c50aa8")
	h264PPS = mustHex("68ce0fc8")
	h265VPS = mustHex("40010c01ffff0408000003009e0800000300003c959809")
	h265SPS = mustHex("4201010408000003009e0800000300003c9001410173e5cb2b349265780b7020200040000003004000000642")
	h265PPS = mustHex("4401c172860c4624")
	// AAC-LC, 44100 Hz, mono.
	aacASC = []byte{0x12, 0x08}
)

func avcRecord(lengthSize int) []byte {
	b := []byte{1, 0x42, 0xc0, 0x0c, 0xfc | byte(lengthSize-1), 0xe1}
	b = append(b, byte(len(h264SPS)>>8), byte(len(h264SPS)))
	b = append(b, h264SPS...)
	b = append(b, 1, byte(len(h264PPS)>>8), byte(len(h264PPS)))
	return append(b, h264PPS...)
}

func hvcRecord() []byte {
	b := make([]byte, hvccHeaderSize)
	b[0] = 1
	b[21] = 0x0f // lengthSizeMinusOne = 3
	b[22] = 3
	for _, ps := range [][]byte{h265VPS, h265SPS, h265PPS} {
		b = append(b, ps[0]>>1&0x3f, 0, 1, byte(len(ps)>>8), byte(len(ps)))
		b = append(b, ps...)
	}
	return b
}

// lengthPrefixed joins NAL units with 4-byte lengths.
func lengthPrefixed(nalus ...[]byte) []byte {
	var b []byte
	for _, n := range nalus {
		b = append(b, byte(len(n)>>24), byte(len(n)>>16), byte(len(n)>>8), byte(len(n)))
		b = append(b, n...)
	}
	return b
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

var (
	idr   = []byte{0x65, 0x88, 0x84, 0x00}
	slice = []byte{0x41, 0x9a, 0x02}
)

var videoTagCases = []struct {
	name    string
	in      []byte
	want    videoTag
	wantErr error
}{
	{
		"avc sequence header", cat([]byte{0x17, 0, 0, 0, 0}, avcRecord(4)),
		videoTag{kind: tagSeqHeader, codec: media.CodecH264, keyframe: true, config: videoConfig{
			codec: media.CodecH264, sps: h264SPS, pps: h264PPS, width: 320, height: 180, lengthSize: 4,
		}},
		nil,
	},
	{
		"avc keyframe", cat([]byte{0x17, 1, 0, 0, 0}, lengthPrefixed(idr)),
		videoTag{kind: tagCoded, codec: media.CodecH264, keyframe: true, payload: lengthPrefixed(idr)},
		nil,
	},
	{
		"avc inter frame with cts 80", cat([]byte{0x27, 1, 0, 0, 80}, lengthPrefixed(slice)),
		videoTag{kind: tagCoded, codec: media.CodecH264, cts: 80, payload: lengthPrefixed(slice)},
		nil,
	},
	{
		"avc negative cts", cat([]byte{0x27, 1, 0xff, 0xff, 0xd8}, lengthPrefixed(slice)),
		videoTag{kind: tagCoded, codec: media.CodecH264, cts: -40, payload: lengthPrefixed(slice)},
		nil,
	},
	{
		"avc end of sequence",
		[]byte{0x17, 2, 0, 0, 0},
		videoTag{kind: tagIgnored, codec: media.CodecH264, keyframe: true},
		nil,
	},
	{"command frame", []byte{0x57, 0}, videoTag{}, nil},
	{
		"legacy hevc sequence header", cat([]byte{0x1c, 0, 0, 0, 0}, hvcRecord()),
		videoTag{kind: tagSeqHeader, codec: media.CodecH265, keyframe: true, config: videoConfig{
			codec: media.CodecH265, vps: h265VPS, sps: h265SPS, pps: h265PPS, width: 320, height: 180, lengthSize: 4,
		}},
		nil,
	},
	{
		"enhanced hvc1 sequence start", cat([]byte{0x90}, []byte("hvc1"), hvcRecord()),
		videoTag{kind: tagSeqHeader, codec: media.CodecH265, keyframe: true, config: videoConfig{
			codec: media.CodecH265, vps: h265VPS, sps: h265SPS, pps: h265PPS, width: 320, height: 180, lengthSize: 4,
		}},
		nil,
	},
	{
		"enhanced hvc1 coded frames", cat([]byte{0x91}, []byte("hvc1"), []byte{0, 0, 40}, lengthPrefixed(idr)),
		videoTag{kind: tagCoded, codec: media.CodecH265, keyframe: true, cts: 40, payload: lengthPrefixed(idr)},
		nil,
	},
	{
		"enhanced hvc1 coded frames x", cat([]byte{0xa3}, []byte("hvc1"), lengthPrefixed(slice)),
		videoTag{kind: tagCoded, codec: media.CodecH265, payload: lengthPrefixed(slice)},
		nil,
	},
	{
		"enhanced avc1 sequence start", cat([]byte{0x90}, []byte("avc1"), avcRecord(4)),
		videoTag{kind: tagSeqHeader, codec: media.CodecH264, keyframe: true, config: videoConfig{
			codec: media.CodecH264, sps: h264SPS, pps: h264PPS, width: 320, height: 180, lengthSize: 4,
		}},
		nil,
	},
	{"enhanced av01 unsupported", cat([]byte{0x90}, []byte("av01"), []byte{1, 2}), videoTag{}, media.ErrUnsupportedCodec},
	{"vp6 unsupported", []byte{0x14, 0, 0}, videoTag{}, media.ErrUnsupportedCodec},
	{"empty", nil, videoTag{}, ErrMalformed},
	{"truncated avc header", []byte{0x17, 1, 0}, videoTag{}, ErrMalformed},
	{"bad avc packet type", []byte{0x17, 9, 0, 0, 0}, videoTag{}, ErrMalformed},
	{"truncated record", cat([]byte{0x17, 0, 0, 0, 0}, avcRecord(4)[:10]), videoTag{}, ErrMalformed},
	{"record without pps", cat([]byte{0x17, 0, 0, 0, 0}, avcRecord(4)[:8+len(h264SPS)], []byte{0}), videoTag{}, ErrMalformed},
	{
		"record with garbage sps", cat([]byte{0x17, 0, 0, 0, 0}, []byte{1, 0x42, 0, 0, 0xff, 0xe1, 0, 2, 0x67, 0xff, 1, 0, 1, 0x68}),
		videoTag{},
		ErrMalformed,
	},
	{"truncated enhanced", []byte{0x91, 'h', 'v'}, videoTag{}, ErrMalformed},
	{"enhanced coded frames without cts", cat([]byte{0x91}, []byte("hvc1"), []byte{0}), videoTag{}, ErrMalformed},
}

func TestParseVideoTag(t *testing.T) {
	for _, tc := range videoTagCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseVideoTag(tc.in)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.kind != tc.want.kind || got.codec != tc.want.codec || got.keyframe != tc.want.keyframe ||
				got.cts != tc.want.cts || !bytes.Equal(got.payload, tc.want.payload) || !sameVideo(got.config, tc.want.config) ||
				got.config.width != tc.want.config.width || got.config.height != tc.want.config.height ||
				got.config.lengthSize != tc.want.config.lengthSize {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

var audioTagCases = []struct {
	name    string
	in      []byte
	want    audioTag
	wantErr error
}{
	{
		"aac sequence header", cat([]byte{0xaf, 0}, aacASC),
		audioTag{kind: tagSeqHeader, codec: media.CodecAAC, config: audioConfig{asc: aacASC, sampleRate: 44100, channels: 1}},
		nil,
	},
	{
		"aac 48k stereo",
		[]byte{0xaf, 0, 0x11, 0x90},
		audioTag{kind: tagSeqHeader, codec: media.CodecAAC, config: audioConfig{asc: []byte{0x11, 0x90}, sampleRate: 48000, channels: 2}},
		nil,
	},
	{
		"aac raw",
		[]byte{0xaf, 1, 0x21, 0x10, 0x05},
		audioTag{kind: tagCoded, codec: media.CodecAAC, payload: []byte{0x21, 0x10, 0x05}},
		nil,
	},
	{"mp3 unsupported", []byte{0x2f, 0xff}, audioTag{}, media.ErrUnsupportedCodec},
	{"empty", nil, audioTag{}, ErrMalformed},
	{"aac without packet type", []byte{0xaf}, audioTag{}, ErrMalformed},
	{"aac empty raw", []byte{0xaf, 1}, audioTag{}, ErrMalformed},
	{"aac bad packet type", []byte{0xaf, 7, 1}, audioTag{}, ErrMalformed},
	{"aac bad config", []byte{0xaf, 0, 0xff}, audioTag{}, ErrMalformed},
}

func TestParseAudioTag(t *testing.T) {
	for _, tc := range audioTagCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseAudioTag(tc.in)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.kind != tc.want.kind || got.codec != tc.want.codec || !bytes.Equal(got.payload, tc.want.payload) ||
				!bytes.Equal(got.config.asc, tc.want.config.asc) || got.config.sampleRate != tc.want.config.sampleRate ||
				got.config.channels != tc.want.config.channels {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestSplitLengthPrefixed(t *testing.T) {
	for _, tc := range []struct {
		name       string
		in         []byte
		lengthSize int
		want       [][]byte
		wantErr    bool
	}{
		{"two nalus", lengthPrefixed(idr, slice), 4, [][]byte{idr, slice}, false},
		{"two-byte lengths", []byte{0, 2, 0x65, 1, 0, 1, 0x41}, 2, [][]byte{{0x65, 1}, {0x41}}, false},
		{"one-byte lengths", []byte{1, 0x65, 1, 0x41}, 1, [][]byte{{0x65}, {0x41}}, false},
		{"empty nalu skipped", []byte{0, 0, 0, 0, 0, 0, 0, 1, 0x65}, 4, [][]byte{{0x65}}, false},
		{"only empty nalus", []byte{0, 0, 0, 0}, 4, nil, true},
		{"length past end", []byte{0, 0, 0, 9, 0x65}, 4, nil, true},
		{"truncated length", []byte{0, 0}, 4, nil, true},
		{"length size 3", []byte{0, 0, 1, 0x65}, 3, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := splitLengthPrefixed(nil, tc.in, tc.lengthSize)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d NALUs, want %d", len(got), len(tc.want))
			}
			for i := range got {
				if !bytes.Equal(got[i], tc.want[i]) {
					t.Errorf("NALU %d = %x, want %x", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestClockUnwrapsAndRebases(t *testing.T) {
	var c clock
	for _, step := range []struct {
		ts   uint32
		want int64 // ms
	}{
		{0xffffff00, 0},
		{0xffffff64, 100},
		{0x00000010, 0x110}, // wrapped
		{0x00000008, 0x108}, // interleaving step back
		{0x00001000, 0x1100},
	} {
		if got := c.at(step.ts).Milliseconds(); got != step.want {
			t.Errorf("at(%#x) = %d ms, want %d", step.ts, got, step.want)
		}
	}
}

func FuzzParseVideoTag(f *testing.F) {
	for _, tc := range videoTagCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tag, err := parseVideoTag(b)
		if err != nil || tag.kind != tagCoded {
			return
		}
		for _, ls := range []int{1, 2, 4} {
			nalus, err := splitLengthPrefixed(nil, tag.payload, ls)
			if err != nil {
				continue
			}
			for _, n := range nalus {
				if len(n) == 0 {
					t.Fatal("empty NALU")
				}
			}
		}
	})
}

func FuzzParseAudioTag(f *testing.F) {
	for _, tc := range audioTagCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tag, err := parseAudioTag(b)
		if err == nil && tag.kind == tagCoded && len(tag.payload) == 0 {
			t.Fatal("empty AAC frame accepted")
		}
	})
}
