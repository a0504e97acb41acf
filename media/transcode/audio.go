package transcode

import (
	"context"
	"errors"

	"streamhive/media"
)

// AudioSink receives what RunAudio makes: the encoded track, then its
// frames (Track 0; the sink gives them their ID).
type AudioSink interface {
	// SetTrack announces the encoded track before its first frame, and
	// again after the source's audio changed; nil says the source has no
	// audio to encode any more (none, or already in the target codec).
	SetTrack(*media.Track)
	media.Sink
}

// RunAudio encodes the first audio track of src as a says and writes only
// that track to out, until src.Read fails or an encoder cannot be opened;
// it is the audio half of a ladder, for an output that needs another
// codec beside the stream's own audio (Opus for WebRTC). Video and other
// tracks are read and skipped. A source without audio, or whose audio is
// in a's codec already, gets nothing encoded until that changes. A frame
// the decoder rejects is skipped. It runs on the calling goroutine and
// frees everything it allocated before it returns.
func RunAudio(ctx context.Context, a AudioOut, src Source, out AudioSink) error {
	r := &audioRun{a: a, out: out}
	defer r.reset()
	for {
		f, tracks, err := src.Read(ctx)
		if err != nil {
			return err
		}
		if err := r.write(f, tracks); err != nil {
			return err
		}
	}
}

// audioRun is RunAudio's state for one source audio track.
type audioRun struct {
	a   AudioOut
	out AudioSink

	src   *media.Track // the source audio being encoded; nil when none
	dec   *decoder
	graph *filterGraph
	enc   audioCoder // non-nil once the track was announced
}

// reset frees the codecs and forgets the source track.
func (r *audioRun) reset() {
	if r.enc != nil {
		r.enc.free()
	}
	if r.graph != nil {
		r.graph.free()
	}
	if r.dec != nil {
		r.dec.free()
	}
	*r = audioRun{a: r.a, out: r.out}
}

// follow starts afresh when the source's first audio track changes.
func (r *audioRun) follow(tracks []media.Track) {
	var audio *media.Track
	for i := range tracks {
		if tracks[i].Codec.Kind() == media.KindAudio {
			t := tracks[i]
			audio = &t
			break
		}
	}
	if audio != nil && audio.Codec == r.a.Codec {
		audio = nil
	}
	if sameTrack(r.src, audio) {
		return
	}
	announced := r.enc != nil
	r.reset()
	r.src = audio
	if announced {
		r.out.SetTrack(nil)
	}
}

// write decodes f if it is the source's audio and encodes what it gives.
func (r *audioRun) write(f *media.Frame, tracks []media.Track) error {
	r.follow(tracks)
	if r.src == nil || f.Track != r.src.ID {
		return nil
	}
	if r.dec == nil {
		d, err := openDecoder(*r.src)
		if err != nil {
			return err
		}
		r.dec = d
	}
	err := r.dec.decode(f, func(raw *Raw) error {
		if r.enc == nil {
			enc, g, err := openAudioChain(r.a, 0, raw)
			if err != nil {
				return err
			}
			r.enc, r.graph = enc, g
			t := enc.Track()
			r.out.SetTrack(&t)
		}
		if err := r.graph.push(raw); err != nil {
			return err
		}
		return r.graph.pull(0, func(raw *Raw) error { return r.enc.Encode(raw, r.out.WriteFrame) })
	})
	if errors.Is(err, ErrDecode) {
		return nil
	}
	return err
}
