package codec

import (
	"errors"
	"testing"

	"streamhive/media"
)

func TestString(t *testing.T) {
	for _, tc := range []struct {
		name    string
		track   media.Track
		want    string
		wantErr error
	}{
		{"h264 main 3.1", media.Track{Codec: media.CodecH264, SPS: []byte{0x67, 0x4d, 0x40, 0x1f, 0xff}}, "avc1.4D401F", nil},
		{"h264 high 4.0", media.Track{Codec: media.CodecH264, SPS: []byte{0x67, 0x64, 0x00, 0x28}}, "avc1.640028", nil},
		{"h264 no sps", media.Track{Codec: media.CodecH264}, "", ErrNoParameters},
		{
			// x265 Main, level 3.1: general_profile_compatibility_flag[1] and [2].
			"h265 main",
			media.Track{Codec: media.CodecH265, SPS: []byte{
				0x42, 0x01, 0x01, 0x01, 0x60, 0x00, 0x00, 0x03, 0x00, 0x90, 0x00, 0x00, 0x03, 0x00, 0x00, 0x03, 0x00, 0x5d,
				0xa0, 0x02, 0x80, 0x80, 0x2d, 0x16,
			}},
			"hvc1.1.6.L93.90", nil,
		},
		{"h265 short", media.Track{Codec: media.CodecH265, SPS: []byte{0x42, 0x01, 0x01}}, "", ErrNoParameters},
		{"aac lc", media.Track{Codec: media.CodecAAC, AudioConfig: []byte{0x12, 0x10}}, "mp4a.40.2", nil},
		{"he-aac", media.Track{Codec: media.CodecAAC, AudioConfig: []byte{0x2b, 0x92, 0x08, 0x00}}, "mp4a.40.5", nil},
		{"aac none", media.Track{Codec: media.CodecAAC}, "", ErrNoParameters},
		{"opus", media.Track{Codec: media.CodecOpus}, "opus", nil},
		{"pcma", media.Track{Codec: media.CodecPCMA}, "", media.ErrUnsupportedCodec},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := String(tc.track)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Errorf("got %q, %v; want error %v", got, err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestJoin(t *testing.T) {
	got, err := Join([]media.Track{
		{Codec: media.CodecH264, SPS: []byte{0x67, 0x4d, 0x40, 0x1f}},
		{Codec: media.CodecAAC, AudioConfig: []byte{0x12, 0x10}},
	})
	if err != nil || got != "avc1.4D401F,mp4a.40.2" {
		t.Errorf("got %q, %v", got, err)
	}
}

func FuzzString(f *testing.F) {
	f.Add("h265", []byte{0x42, 0x01, 0x01, 0x01, 0x60, 0x00, 0x00, 0x03, 0x00, 0x90, 0x00, 0x00, 0x03, 0x00, 0x00, 0x03, 0x00, 0x5d})
	f.Add("h264", []byte{0x67, 0x4d, 0x40, 0x1f})
	f.Add("aac", []byte{0x12, 0x10})
	f.Fuzz(func(_ *testing.T, c string, b []byte) {
		_, _ = String(media.Track{Codec: media.Codec(c), SPS: b, AudioConfig: b})
	})
}
