package segment

import (
	"bytes"
	"fmt"

	"github.com/Eyevinn/mp4ff/avc"
	"github.com/Eyevinn/mp4ff/mp4"

	"streamhive/media"
)

// videoTimescale is the usual 90 kHz video clock; audio tracks use their
// sample rate so that one AAC frame is exactly 1024 units.
const videoTimescale = 90000

// timescale returns a track's CMAF timescale.
func timescale(t media.Track) uint32 {
	switch {
	case t.Codec.Kind() == media.KindVideo:
		return videoTimescale
	case t.Codec == media.CodecOpus:
		return 48000
	case t.SampleRate > 0:
		return uint32(t.SampleRate)
	default:
		return 48000
	}
}

// defaultDuration is a sample's duration in units before two samples have
// shown the real one: 25 fps video, 1024-sample AAC, 20 ms Opus.
func defaultDuration(t media.Track) int64 {
	switch t.Codec {
	case media.CodecH264, media.CodecH265:
		return videoTimescale / 25
	case media.CodecAAC:
		return 1024
	default:
		return int64(timescale(t)) / 50
	}
}

// buildInit encodes the CMAF init segment (ftyp+moov) of one track.
func buildInit(t media.Track) ([]byte, error) {
	init := mp4.CreateEmptyInit()
	ts := timescale(t)
	var err error
	switch t.Codec {
	case media.CodecH264:
		if len(t.SPS) == 0 || len(t.PPS) == 0 {
			return nil, fmt.Errorf("segment: h264 track %d: %w", t.ID, ErrNoParameters)
		}
		trak := init.AddEmptyTrack(ts, "video", "und")
		if err = trak.SetAVCDescriptor("avc1", [][]byte{t.SPS}, [][]byte{t.PPS}, true); err == nil {
			err = fixAvcCChroma(trak, t.SPS)
		}
	case media.CodecH265:
		if len(t.VPS) == 0 || len(t.SPS) == 0 || len(t.PPS) == 0 {
			return nil, fmt.Errorf("segment: h265 track %d: %w", t.ID, ErrNoParameters)
		}
		trak := init.AddEmptyTrack(ts, "video", "und")
		err = trak.SetHEVCDescriptor("hvc1", [][]byte{t.VPS}, [][]byte{t.SPS}, [][]byte{t.PPS}, nil, true)
	case media.CodecAAC:
		if len(t.AudioConfig) == 0 {
			return nil, fmt.Errorf("segment: aac track %d: %w", t.ID, ErrNoParameters)
		}
		trak := init.AddEmptyTrack(ts, "audio", "und")
		entry := mp4.CreateAudioSampleEntryBox("mp4a", uint16(channels(t)), 16, uint16(ts), mp4.CreateEsdsBox(t.AudioConfig))
		trak.Mdia.Minf.Stbl.Stsd.AddChild(entry)
	case media.CodecOpus:
		trak := init.AddEmptyTrack(ts, "audio", "und")
		dops := &mp4.DopsBox{OutputChannelCount: byte(channels(t)), InputSampleRate: 48000}
		entry := mp4.CreateAudioSampleEntryBox("Opus", uint16(channels(t)), 16, 48000, dops)
		trak.Mdia.Minf.Stbl.Stsd.AddChild(entry)
	default:
		return nil, fmt.Errorf("segment: track %d codec %q: %w", t.ID, t.Codec, media.ErrUnsupportedCodec)
	}
	if err != nil {
		return nil, fmt.Errorf("segment: track %d: %w", t.ID, err)
	}
	var b bytes.Buffer
	if err := init.Encode(&b); err != nil {
		return nil, fmt.Errorf("segment: init of track %d: %w", t.ID, err)
	}
	return b.Bytes(), nil
}

func channels(t media.Track) int {
	if t.Channels > 0 {
		return t.Channels
	}
	return 2
}

// fixAvcCChroma corrects the avcC's chroma format and bit depths, which
// mp4ff v0.51.0 always writes as 4:2:0 8-bit. For High profiles
// (ISO/IEC 14496-15 §5.3.3.1.2 carries these fields) a wrong value makes
// decoders such as FFmpeg reject every sample of a 4:2:2 stream. mp4ff writes
// these fields for profiles 100, 110, 122 and 144 only: a High 4:4:4
// Predictive (244) source still gets an avcC without them, which FFmpeg's
// DASH/fMP4 reader cannot decode (browsers cannot play 4:4:4 at all); its
// MPEG-TS output is unaffected because SPS/PPS travel in-band there.
func fixAvcCChroma(trak *mp4.TrakBox, sps []byte) error {
	parsed, err := avc.ParseSPSNALUnit(sps, false)
	if err != nil {
		return fmt.Errorf("segment: h264 sps: %w", err)
	}
	entry, ok := trak.Mdia.Minf.Stbl.Stsd.Children[0].(*mp4.VisualSampleEntryBox)
	if !ok || entry.AvcC == nil {
		return nil
	}
	rec := &entry.AvcC.DecConfRec
	rec.ChromaFormat = parsed.ChromaFormatIDC
	rec.BitDepthLumaMinus1 = byte(parsed.BitDepthLumaMinus8)
	rec.BitDepthChromaMinus1 = byte(parsed.BitDepthChromaMinus8)
	return nil
}
