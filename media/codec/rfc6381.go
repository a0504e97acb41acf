// Package codec holds what mediacommon lacks for StreamHive: RFC 6381 codec
// strings (HLS CODECS, DASH @codecs) built from a track's parameter sets.
package codec

import (
	"errors"
	"fmt"
	"strings"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"

	"streamhive/media"
)

// ErrNoParameters is returned when a track lacks the parameter set or
// AudioSpecificConfig its codec string is built from.
var ErrNoParameters = errors.New("codec: missing parameter sets")

// String returns the RFC 6381 codec string of t: "avc1.4D401F",
// "hvc1.1.6.L93.B0", "mp4a.40.2", "opus".
func String(t media.Track) (string, error) {
	switch t.Codec {
	case media.CodecH264:
		return avc1(t.SPS)
	case media.CodecH265:
		return hvc1(t.SPS)
	case media.CodecAAC:
		return mp4a(t.AudioConfig)
	case media.CodecOpus:
		return "opus", nil
	default:
		return "", fmt.Errorf("codec %q: %w", t.Codec, media.ErrUnsupportedCodec)
	}
}

// Join returns the codec strings of tracks joined by commas, as the HLS
// CODECS attribute wants them.
func Join(tracks []media.Track) (string, error) {
	parts := make([]string, 0, len(tracks))
	for _, t := range tracks {
		s, err := String(t)
		if err != nil {
			return "", err
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ","), nil
}

// avc1 follows RFC 6381 3.3: profile_idc, the constraint flags byte and
// level_idc of the SPS, in hex.
func avc1(sps []byte) (string, error) {
	if len(sps) < 4 {
		return "", fmt.Errorf("h264 SPS: %w", ErrNoParameters)
	}
	return fmt.Sprintf("avc1.%02X%02X%02X", sps[1], sps[2], sps[3]), nil
}

// hvc1 follows ISO/IEC 14496-15 E.3: profile space and idc, the
// compatibility flags bit-reversed in hex, tier and level, then the six
// constraint bytes in hex with trailing zero bytes left out.
func hvc1(sps []byte) (string, error) {
	// NAL header (2), sps_video_parameter_set_id etc. (1), then
	// profile_tier_level: 1 + 4 + 6 + 1 bytes.
	if len(sps) < 3 {
		return "", fmt.Errorf("h265 SPS: %w", ErrNoParameters)
	}
	raw := h264.EmulationPreventionRemove(sps[:min(len(sps), 32)])
	if len(raw) < 15 {
		return "", fmt.Errorf("h265 SPS too short: %w", ErrNoParameters)
	}
	ptl := raw[3:15]
	space := ptl[0] >> 6
	tier := "L"
	if ptl[0]&0x20 != 0 {
		tier = "H"
	}
	idc := ptl[0] & 0x1f
	compat := uint32(ptl[1])<<24 | uint32(ptl[2])<<16 | uint32(ptl[3])<<8 | uint32(ptl[4])
	var rev uint32
	for i := range 32 {
		if compat&(1<<i) != 0 {
			rev |= 1 << (31 - i)
		}
	}
	var b strings.Builder
	b.WriteString("hvc1.")
	if space > 0 {
		b.WriteByte("ABC"[space-1])
	}
	fmt.Fprintf(&b, "%d.%X.%s%d", idc, rev, tier, ptl[11])
	cons := ptl[5:11]
	n := len(cons)
	for n > 0 && cons[n-1] == 0 {
		n--
	}
	for _, c := range cons[:n] {
		fmt.Fprintf(&b, ".%X", c)
	}
	return b.String(), nil
}

// mp4a follows RFC 6381 3.3: the MPEG-4 audio object type of the
// AudioSpecificConfig, or the SBR/PS extension type when it is signalled.
func mp4a(asc []byte) (string, error) {
	if len(asc) == 0 {
		return "", fmt.Errorf("AudioSpecificConfig: %w", ErrNoParameters)
	}
	var c mpeg4audio.AudioSpecificConfig
	if err := c.Unmarshal(asc); err != nil {
		return "", fmt.Errorf("AudioSpecificConfig: %w", err)
	}
	t := c.Type
	if c.ExtensionType != 0 { // explicit SBR/PS: HE-AAC v1 (5) or v2 (29)
		t = c.ExtensionType
	}
	return fmt.Sprintf("mp4a.40.%d", t), nil
}
