package hlspull

import (
	"fmt"

	"github.com/Eyevinn/mp4ff/mp4"

	"streamhive/media"
	"streamhive/media/mp4track"
)

// HEVC parameter set NAL unit types (H.265 Table 7-1).

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
	t, err := mp4track.FromStsd(stsd)
	if err != nil {
		return t, 0, fmt.Errorf("%w: %w", errFMP4, err)
	}
	switch t.Codec {
	case media.CodecH264:
		return t, avcLengthSize, nil
	case media.CodecH265:
		return t, int(stsd.HvcX.HvcC.LengthSizeMinusOne&3) + 1, nil
	default: // audio has no NAL units
		return t, 0, nil
	}
}
