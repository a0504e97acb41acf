package transcode

import (
	"errors"
	"fmt"
	"time"

	"streamhive/media"
)

// pipeline is Run's state for one set of source codec parameters: the
// decoders, graphs and encoders, opened as the first frames need them and
// freed together by reset.
type pipeline struct {
	l   Ladder
	out Output
	st  *Stats

	video, audio *media.Track // the source tracks in use; nil when absent

	vdec   *decoder
	vgraph *filterGraph
	encs   []*H264Encoder
	keys   []keyClock
	adec   *decoder
	agraph *filterGraph
	aenc   audioCoder
	lastIn time.Duration // the previous source video frame's PTS
	haveIn bool

	ready   bool // out has the track list; frames go straight out
	pending []*media.Frame
}

// audioCoder is an AAC or Opus encoder.
type audioCoder interface {
	Encode(r *Raw, emit func(*media.Frame)) error
	Track() media.Track
	FrameSize() int
	free()
}

// reset frees everything and forgets the source tracks.
func (p *pipeline) reset() {
	for _, e := range p.encs {
		if e != nil {
			e.free()
		}
	}
	for _, g := range []*filterGraph{p.vgraph, p.agraph} {
		if g != nil {
			g.free()
		}
	}
	for _, d := range []*decoder{p.vdec, p.adec} {
		if d != nil {
			d.free()
		}
	}
	if p.aenc != nil {
		p.aenc.free()
	}
	*p = pipeline{l: p.l, out: p.out, st: p.st}
}

// write takes one source frame.
func (p *pipeline) write(f *media.Frame, tracks []media.Track) error {
	p.follow(tracks)
	switch {
	case p.video != nil && f.Track == p.video.ID:
		p.st.FramesIn.Add(1)
		if len(p.l.Renditions) == 0 {
			c := *f
			c.Track = 0
			p.st.VideoCopied.Add(1)
			p.emit(&c)
			return nil
		}
		return p.writeVideo(f)
	case p.audio != nil && f.Track == p.audio.ID:
		p.st.AudioIn.Add(1)
		return p.writeAudio(f)
	}
	return nil
}

// follow starts afresh when the source's first video or audio track has
// different codec parameters from the ones in use.
func (p *pipeline) follow(tracks []media.Track) {
	var video, audio *media.Track
	for i := range tracks {
		t := &tracks[i]
		if t.Codec.Kind() == media.KindVideo && video == nil {
			video = t
		} else if t.Codec.Kind() == media.KindAudio && audio == nil {
			audio = t
		}
	}
	if sameTrack(p.video, video) && sameTrack(p.audio, audio) {
		return
	}
	p.reset()
	p.video, p.audio = video, audio
	p.encs = make([]*H264Encoder, len(p.l.Renditions))
	p.keys = make([]keyClock, len(p.l.Renditions))
	for i := range p.keys {
		p.keys[i].interval, p.keys[i].gop = p.l.KeyInterval, p.l.GOP
	}
}

func sameTrack(a, b *media.Track) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Codec == b.Codec && a.SampleRate == b.SampleRate && a.Channels == b.Channels &&
		string(a.VPS) == string(b.VPS) && string(a.SPS) == string(b.SPS) && string(a.PPS) == string(b.PPS) &&
		string(a.AudioConfig) == string(b.AudioConfig)
}

// writeVideo decodes f once and encodes every rendition of each picture.
func (p *pipeline) writeVideo(f *media.Frame) error {
	start := time.Now()
	if p.vdec == nil {
		d, err := openDecoder(*p.video)
		if err != nil {
			return err
		}
		p.vdec = d
	}
	err := p.vdec.decode(f, func(r *Raw) error {
		if p.vgraph == nil {
			g, err := openFilterGraph(media.KindVideo, videoSourceArgs(r), p.l.videoGraph(), len(p.l.Renditions))
			if err != nil {
				return err
			}
			p.vgraph = g
		}
		if err := p.vgraph.push(r); err != nil {
			return err
		}
		for i := range p.l.Renditions {
			if err := p.vgraph.pull(i, func(r *Raw) error { return p.encode(i, r) }); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, ErrDecode) {
		p.st.DecodeErrors.Add(1)
		err = nil
	}
	var step time.Duration
	if p.haveIn {
		step = f.PTS - p.lastIn
	}
	p.haveIn, p.lastIn = true, f.PTS
	p.st.advance(step, time.Since(start))
	return err
}

// encode encodes rendition i's picture r, opening its encoder at the
// picture's size on the first one.
func (p *pipeline) encode(i int, r *Raw) error {
	start := time.Now()
	if p.encs[i] == nil {
		rd := p.l.Renditions[i]
		preset := rd.Preset
		if preset == "" {
			preset = "veryfast"
		}
		e, err := openH264(H264Config{
			Track: i, Width: r.f.Width(), Height: r.f.Height(), FPS: max(p.l.FPS, 25),
			Bitrate: rd.Bitrate, Preset: preset, BFrames: rd.BFrames, ForcedKeyframes: true,
			Profile: rd.Profile, Codec: rd.Codec, Encoder: p.l.Encoder, Device: p.l.Device,
		})
		if err != nil {
			return err
		}
		p.encs[i] = e
		p.st.setDevice(p.l.Encoder) // the device, named by its H.264 encoder whatever the codec
	}
	rs := p.st.Rendition(i)
	err := p.encs[i].EncodeKey(r, p.keys[i].key(r.PTS()), func(f *media.Frame) {
		rs.FramesOut.Add(1)
		rs.Bytes.Add(uint64(f.Size()))
		if f.Keyframe {
			rs.Keyframes.Add(1)
		}
		p.emit(f)
	})
	rs.busy.Add(int64(time.Since(start)))
	return err
}

// emit writes f out, or holds it back until every output track is known.
func (p *pipeline) emit(f *media.Frame) {
	if p.ready {
		p.st.written.Add(1)
		p.out.WriteFrame(f)
		return
	}
	if len(p.pending) >= maxPending {
		p.pending = p.pending[1:]
		p.st.Dropped.Add(1)
	}
	p.pending = append(p.pending, f)
	tracks, ok := p.tracks()
	if !ok {
		return
	}
	p.ready = true
	p.out.SetTracks(tracks)
	p.st.written.Add(uint64(len(p.pending)))
	for _, f := range p.pending {
		p.out.WriteFrame(f)
	}
	p.pending = nil
}

// tracks returns the output track list once every track is known: each
// rendition's after its first keyframe, the audio's once its encoder is
// open (or at once, for a copy).
func (p *pipeline) tracks() ([]media.Track, bool) {
	var list []media.Track
	switch {
	case p.video == nil:
	case len(p.l.Renditions) == 0:
		t := *p.video
		t.ID = 0
		list = append(list, t)
	default:
		for _, e := range p.encs {
			if e == nil {
				return nil, false
			}
			t, ok := e.Track()
			if !ok {
				return nil, false
			}
			list = append(list, t)
		}
	}
	if p.audio != nil {
		switch {
		case p.l.Audio == nil:
			t := *p.audio
			t.ID = len(list)
			list = append(list, t)
		case p.aenc != nil:
			list = append(list, p.aenc.Track())
		default:
			return nil, false
		}
	}
	return list, true
}

// audioTrack is the output track number of the audio: after the
// renditions, or after the copied video.
func (p *pipeline) audioTrack() int {
	switch {
	case p.video == nil:
		return 0
	case len(p.l.Renditions) == 0:
		return 1
	}
	return len(p.l.Renditions)
}

// writeAudio copies f or re-encodes it.
func (p *pipeline) writeAudio(f *media.Frame) error {
	if p.l.Audio == nil {
		c := *f
		c.Track = p.audioTrack()
		p.st.AudioOut.Add(1)
		p.emit(&c)
		return nil
	}
	if p.adec == nil {
		d, err := openDecoder(*p.audio)
		if err != nil {
			return err
		}
		p.adec = d
	}
	err := p.adec.decode(f, func(r *Raw) error {
		if p.agraph == nil {
			if err := p.openAudio(r); err != nil {
				return err
			}
		}
		if err := p.agraph.push(r); err != nil {
			return err
		}
		return p.agraph.pull(0, func(r *Raw) error {
			return p.aenc.Encode(r, func(f *media.Frame) {
				p.st.AudioOut.Add(1)
				p.emit(f)
			})
		})
	})
	if errors.Is(err, ErrDecode) {
		p.st.DecodeErrors.Add(1)
		return nil
	}
	return err
}

// aacRates are the sample rates kept as they are; others become 48 kHz.
var aacRates = map[int]bool{48000: true, 44100: true, 32000: true, 24000: true, 22050: true, 16000: true}

// openAudio opens the audio encoder and the graph that converts blocks
// like r to what it takes.
func (p *pipeline) openAudio(r *Raw) error {
	e, g, err := openAudioChain(*p.l.Audio, p.audioTrack(), r)
	if err != nil {
		return err
	}
	p.aenc, p.agraph = e, g
	return nil
}

// openAudioChain opens an encoder of track id for a and the graph that
// converts blocks like r to what it takes. On error nothing is left
// allocated.
func openAudioChain(a AudioOut, id int, r *Raw) (audioCoder, *filterGraph, error) {
	channels := min(max(r.f.ChannelLayout().NbChannels(), 1), 2)
	if c := a.Channels; c == 1 || c == 2 {
		channels = c
	}
	layout := map[int]string{1: "mono", 2: "stereo"}[channels]
	var enc audioCoder
	var rate int
	var format string
	switch a.Codec {
	case media.CodecOpus:
		e, err := openOpus(id, channels, a.Bitrate)
		if err != nil {
			return nil, nil, err
		}
		enc, rate, format = e, opusRate, "flt"
	case media.CodecAAC, "":
		rate = r.f.SampleRate()
		if aacRates[a.SampleRate] {
			rate = a.SampleRate
		}
		if !aacRates[rate] {
			rate = 48000
		}
		e, err := openAAC(AACConfig{Track: id, SampleRate: rate, Channels: channels, Bitrate: a.Bitrate})
		if err != nil {
			return nil, nil, err
		}
		enc, format = e, "fltp"
	default:
		return nil, nil, fmt.Errorf("transcode: audio to %s: %w", a.Codec, media.ErrUnsupportedCodec)
	}
	desc := fmt.Sprintf("[in]aresample=%d,aformat=sample_fmts=%s:channel_layouts=%s,asetnsamples=n=%d:p=0[out0]",
		rate, format, layout, enc.FrameSize())
	g, err := openFilterGraph(media.KindAudio, audioSourceArgs(r), desc, 1)
	if err != nil {
		enc.free()
		return nil, nil, err
	}
	return enc, g, nil
}
