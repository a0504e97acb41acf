package rtsp

import (
	"fmt"
	"strings"

	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"

	"streamhive/media"
)

// selection is what a session description offers that we carry (at most
// one video and one audio format: a stream has one of each) and a
// description of every media we skip.
type selection struct {
	video   *videoTrack
	audio   *audioTrack
	skipped []string
}

// medias returns the medias to set up: the chosen ones.
func (s selection) medias() []*description.Media {
	var out []*description.Media
	if s.video != nil {
		out = append(out, s.video.medi)
	}
	if s.audio != nil {
		out = append(out, s.audio.medi)
	}
	return out
}

// selectTracks picks the first usable video and audio format. It fails
// with media.ErrUnsupportedCodec when there is none.
func selectTracks(medias []*description.Media) (selection, error) {
	var s selection
	for _, m := range medias {
		if m.IsBackChannel {
			continue // a talk-back channel to the camera: not a source
		}
		if reason := s.pick(m); reason != "" {
			s.skipped = append(s.skipped, reason)
		}
	}
	if s.video == nil && s.audio == nil {
		return s, fmt.Errorf("rtsp: no H.264, H.265, AAC or Opus track (offered %s): %w",
			strings.Join(s.skipped, ", "), media.ErrUnsupportedCodec)
	}
	return s, nil
}

// pick takes m's first usable format into a free slot, or returns why m is
// skipped.
func (s *selection) pick(m *description.Media) string {
	var reasons []string
	for _, f := range m.Formats {
		codec, params, ok, err := newVideoCodec(f)
		if ok && err == nil {
			if s.video != nil {
				return "a second video track (" + describeFormat(f) + ")"
			}
			s.video = &videoTrack{medi: m, forma: f, c: codec, ps: params}
			return ""
		}
		audio, aok, aerr := newAudioTrack(m, f)
		if aok && aerr == nil {
			if s.audio != nil {
				return "a second audio track (" + describeFormat(f) + ")"
			}
			s.audio = audio
			return ""
		}
		switch {
		case err != nil:
			reasons = append(reasons, fmt.Sprintf("%s (%v)", describeFormat(f), err))
		case aerr != nil:
			reasons = append(reasons, fmt.Sprintf("%s (%v)", describeFormat(f), aerr))
		default:
			reasons = append(reasons, describeFormat(f))
		}
	}
	return strings.Join(reasons, " or ")
}

// describeFormat names a format for logs ("G.711 PCMA 8000 Hz").
func describeFormat(f format.Format) string {
	switch f := f.(type) {
	case *format.G711:
		law := "PCMA"
		if f.MULaw {
			law = "PCMU"
		}
		return fmt.Sprintf("G.711 %s %d Hz", law, f.SampleRate)
	case *format.MPEG4Audio, *format.Opus:
		return f.Codec()
	default:
		return fmt.Sprintf("%s %d Hz", f.Codec(), f.ClockRate())
	}
}
