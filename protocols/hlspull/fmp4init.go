package hlspull

import (
	"fmt"

	"github.com/Eyevinn/mp4ff/mp4"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"

	"streamhive/media"
)

// HEVC parameter set NAL unit types (H.265 Table 7-1).
const hevcVPS, hevcSPS, hevcPPS = 32, 33, 34

// avcLengthSize is the NAL unit length prefix of H.264 samples: mp4ff does
// not expose avcC's lengthSizeMinusOne, and every packager we know of
// (ffmpeg, Shaka, Bento4, ours) writes 4.
const avcLengthSize = 4

// fmp4Init is what an EXT-X-MAP init section says: the tracks we carry,
// video first, and how to read each MP4 track's samples.
type fmp4Init struct {
	tracks []media.Track
	traks  map[uint32]*fmp4Track // by MP4 track ID
	order  []uint32              // the track IDs in media.Track order
}

// fmp4Track is one carried MP4 track.
type fmp4Track struct {
	id        int // media.Track.ID
	codec     media.Codec
	timescale uint64
	trex      *mp4.TrexBox // nil when mvex has none for the track
	lenSize   int          // video: NAL unit length prefix size
}

// parseInit reads an init section (ftyp, moov with mvex). Tracks of codecs
// we do not carry are left out; none left fails with ErrNoTracks.
func parseInit(b []byte) (*fmp4Init, error) {
	f, err := decodeMP4(b)
	if err != nil {
		return nil, err
	}
	if f.Init == nil || f.Init.Moov == nil {
		return nil, fmt.Errorf("%w: init section without moov", errFMP4)
	}
	moov := f.Init.Moov
	in := &fmp4Init{traks: map[uint32]*fmp4Track{}}
	for _, kind := range []media.Kind{media.KindVideo, media.KindAudio} {
		for _, trak := range moov.Traks {
			if trak.Tkhd == nil || trak.Mdia == nil || trak.Mdia.Mdhd == nil || trak.Mdia.Mdhd.Timescale == 0 ||
				trak.Mdia.Minf == nil || trak.Mdia.Minf.Stbl == nil || trak.Mdia.Minf.Stbl.Stsd == nil {
				continue
			}
			track, lenSize, err := sampleEntry(trak.Mdia.Minf.Stbl.Stsd)
			if err != nil {
				return nil, err
			}
			if track.Codec == "" || track.Codec.Kind() != kind {
				continue
			}
			id := trak.Tkhd.TrackID
			if _, dup := in.traks[id]; dup {
				return nil, fmt.Errorf("%w: track ID %d twice", errFMP4, id)
			}
			track.ID = len(in.tracks)
			in.tracks = append(in.tracks, track)
			t := &fmp4Track{id: track.ID, codec: track.Codec, timescale: uint64(trak.Mdia.Mdhd.Timescale), lenSize: lenSize}
			if moov.Mvex != nil {
				t.trex, _ = moov.Mvex.GetTrex(id)
			}
			in.traks[id] = t
			in.order = append(in.order, id)
		}
	}
	if len(in.tracks) == 0 {
		return nil, ErrNoTracks
	}
	return in, nil
}

// sampleEntry reads the first sample description: the track and, for
// video, the NAL unit length size. A codec we do not carry gives a track
// with no codec.
func sampleEntry(stsd *mp4.StsdBox) (media.Track, int, error) {
	switch {
	case stsd.AvcX != nil && stsd.AvcX.AvcC != nil:
		t, err := avcTrack(stsd.AvcX.AvcC)
		return t, avcLengthSize, err
	case stsd.HvcX != nil && stsd.HvcX.HvcC != nil:
		t, err := hevcTrack(stsd.HvcX.HvcC)
		return t, int(stsd.HvcX.HvcC.LengthSizeMinusOne&3) + 1, err
	case stsd.Mp4a != nil:
		t, err := aacTrack(stsd.Mp4a)
		return t, 0, err
	case stsd.Opus != nil:
		ch := int(stsd.Opus.ChannelCount)
		if stsd.Opus.Dops != nil {
			ch = int(stsd.Opus.Dops.OutputChannelCount)
		}
		return media.Track{Codec: media.CodecOpus, SampleRate: 48000, Channels: ch}, 0, nil
	}
	return media.Track{}, 0, nil
}

func avcTrack(c *mp4.AvcCBox) (media.Track, error) {
	if len(c.SPSnalus) == 0 || len(c.PPSnalus) == 0 {
		return media.Track{}, fmt.Errorf("%w: avcC without SPS or PPS", errFMP4)
	}
	var sps h264.SPS
	if err := sps.Unmarshal(c.SPSnalus[0]); err != nil {
		return media.Track{}, fmt.Errorf("%w: avcC SPS: %w", errFMP4, err)
	}
	return media.Track{
		Codec: media.CodecH264, SPS: c.SPSnalus[0], PPS: c.PPSnalus[0],
		Width: sps.Width(), Height: sps.Height(),
	}, nil
}

func hevcTrack(c *mp4.HvcCBox) (media.Track, error) {
	t := media.Track{Codec: media.CodecH265}
	for _, a := range c.NaluArrays {
		if len(a.Nalus) == 0 {
			continue
		}
		switch int(a.NaluType()) {
		case hevcVPS:
			t.VPS = a.Nalus[0]
		case hevcSPS:
			t.SPS = a.Nalus[0]
		case hevcPPS:
			t.PPS = a.Nalus[0]
		}
	}
	if t.VPS == nil || t.SPS == nil || t.PPS == nil {
		return t, fmt.Errorf("%w: hvcC without VPS, SPS or PPS", errFMP4)
	}
	var sps h265.SPS
	if err := sps.Unmarshal(t.SPS); err != nil {
		return t, fmt.Errorf("%w: hvcC SPS: %w", errFMP4, err)
	}
	t.Width, t.Height = sps.Width(), sps.Height()
	return t, nil
}

func aacTrack(e *mp4.AudioSampleEntryBox) (media.Track, error) {
	d := e.Esds
	if d == nil || d.DecConfigDescriptor == nil || d.DecConfigDescriptor.DecSpecificInfo == nil {
		return media.Track{}, fmt.Errorf("%w: mp4a without AudioSpecificConfig", errFMP4)
	}
	asc := d.DecConfigDescriptor.DecSpecificInfo.DecConfig
	var cfg mpeg4audio.AudioSpecificConfig
	if err := cfg.Unmarshal(asc); err != nil {
		return media.Track{}, fmt.Errorf("%w: AudioSpecificConfig: %w", errFMP4, err)
	}
	return media.Track{Codec: media.CodecAAC, AudioConfig: asc, SampleRate: cfg.SampleRate, Channels: cfg.ChannelCount}, nil
}
