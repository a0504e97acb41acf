package m4f

import (
	"fmt"

	"streamhive/media"
	"streamhive/media/m4f/m4fpb"
)

// codecs are the codecs a track may name: those media carries.
var codecs = map[media.Codec]bool{
	media.CodecH264: true, media.CodecH265: true, media.CodecAAC: true,
	media.CodecOpus: true, media.CodecPCMA: true, media.CodecPCMU: true,
}

// trackFromPB checks t against the limits and makes it a media.Track.
func trackFromPB(t *m4fpb.Track) (media.Track, error) {
	bad := func(what string, v any) (media.Track, error) {
		return media.Track{}, fmt.Errorf("%w: track %d: %s %v", ErrMalformed, t.Id, what, v)
	}
	switch {
	case t.Id < 0 || t.Id > MaxTrackID:
		return bad("ID", t.Id)
	case !codecs[media.Codec(t.Codec)]:
		return bad("codec", fmt.Sprintf("%.32q", t.Codec))
	case len(t.Vps) > MaxParamSet || len(t.Sps) > MaxParamSet || len(t.Pps) > MaxParamSet:
		return bad("parameter set of bytes", max(len(t.Vps), len(t.Sps), len(t.Pps)))
	case len(t.AudioConfig) > MaxParamSet:
		return bad("audio config of bytes", len(t.AudioConfig))
	case t.Width < 0 || t.Width > MaxDimension || t.Height < 0 || t.Height > MaxDimension:
		return bad("picture size", fmt.Sprintf("%dx%d", t.Width, t.Height))
	case t.SampleRate < 0 || t.SampleRate > MaxSampleRate:
		return bad("sample rate", t.SampleRate)
	case t.Channels < 0 || t.Channels > MaxChannels:
		return bad("channels", t.Channels)
	}
	return media.Track{
		ID: int(t.Id), Codec: media.Codec(t.Codec),
		VPS: nilIfEmpty(t.Vps), SPS: nilIfEmpty(t.Sps), PPS: nilIfEmpty(t.Pps),
		Width: int(t.Width), Height: int(t.Height),
		AudioConfig: nilIfEmpty(t.AudioConfig), SampleRate: int(t.SampleRate), Channels: int(t.Channels),
	}, nil
}

// nilIfEmpty keeps a round trip exact: proto3 cannot tell an empty bytes
// field from an absent one, and media's zero value is nil.
func nilIfEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}
