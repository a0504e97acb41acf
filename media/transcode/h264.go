package transcode

import (
	"fmt"
	"strconv"

	"github.com/asticode/go-astiav"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"

	"streamhive/media"
)

// videoTimeBase is the encoders' video time base: MPEG's 90 kHz, which
// every frame rate we meet divides well enough.
var videoTimeBase = astiav.NewRational(1, 90000)

// H264Config configures an H.264 encoder (libx264). Zero fields take the
// defaults named.
type H264Config struct {
	Track         int    // Track.ID of the frames produced
	Width, Height int    // required
	FPS           int    // nominal frame rate, default 25
	GOP           int    // frames between keyframes, fixed (no scene cuts); default FPS
	Bitrate       int    // bits per second; default 0: x264's CRF 23
	Preset        string // default "ultrafast"
	Tune          string // default "zerolatency": no lookahead, no B-frames, one frame in, one out
	Threads       int    // default 1, so that a stream's cost is one predictable share of a core
}

func (c H264Config) withDefaults() H264Config {
	if c.FPS <= 0 {
		c.FPS = 25
	}
	if c.GOP <= 0 {
		c.GOP = c.FPS
	}
	if c.Preset == "" {
		c.Preset = "ultrafast"
	}
	if c.Tune == "" {
		c.Tune = "zerolatency"
	}
	if c.Threads <= 0 {
		c.Threads = 1
	}
	return c
}

// H264Encoder encodes yuv420p pictures to H.264. Its keyframes carry SPS
// and PPS in-band (no global header), so any keyframe starts a decodable
// stream. See WithH264Encoder.
type H264Encoder struct {
	cfg      H264Config
	cc       *astiav.CodecContext
	pkt      *astiav.Packet
	sps, pps []byte
}

// WithH264Encoder opens an encoder, calls fn with it and frees it when fn
// returns. It returns fn's error.
func WithH264Encoder(cfg H264Config, fn func(*H264Encoder) error) error {
	routeLogs()
	cfg = cfg.withDefaults()
	codec := astiav.FindEncoderByName("libx264")
	if codec == nil {
		return fmt.Errorf("%w: libx264", ErrNoEncoder)
	}
	cc := astiav.AllocCodecContext(codec)
	if cc == nil {
		return fmt.Errorf("transcode: allocating libx264 context")
	}
	defer cc.Free()
	cc.SetWidth(cfg.Width)
	cc.SetHeight(cfg.Height)
	cc.SetPixelFormat(astiav.PixelFormatYuv420P)
	cc.SetTimeBase(videoTimeBase)
	cc.SetFramerate(astiav.NewRational(cfg.FPS, 1))
	cc.SetGopSize(cfg.GOP)
	cc.SetThreadCount(cfg.Threads)
	if cfg.Bitrate > 0 {
		cc.SetBitRate(int64(cfg.Bitrate))
	}

	opts := astiav.NewDictionary()
	defer opts.Free()
	for k, v := range map[string]string{
		"preset": cfg.Preset,
		"tune":   cfg.Tune,
		// A fixed GOP: segmenters cut at keyframes, and renditions of one
		// ladder must cut at the same ones.
		"x264-params": "scenecut=0:min-keyint=" + strconv.Itoa(cfg.GOP) + ":keyint=" + strconv.Itoa(cfg.GOP),
		"forced-idr":  "1",
	} {
		if err := opts.Set(k, v, astiav.NewDictionaryFlags()); err != nil {
			return fmt.Errorf("transcode: libx264 option %s: %w", k, err)
		}
	}
	if err := cc.Open(codec, opts); err != nil {
		return fmt.Errorf("transcode: opening libx264 %dx%d: %w", cfg.Width, cfg.Height, err)
	}

	pkt := astiav.AllocPacket()
	defer pkt.Free()
	return fn(&H264Encoder{cfg: cfg, cc: cc, pkt: pkt})
}

// Encode encodes one picture and calls emit for every access unit the
// encoder returns (with tune=zerolatency, exactly one). Frames passed to
// emit are new and owned by the callee.
func (e *H264Encoder) Encode(r *Raw, emit func(*media.Frame)) error {
	if r.f.PixelFormat() != astiav.PixelFormatYuv420P || r.f.Width() != e.cfg.Width || r.f.Height() != e.cfg.Height {
		return fmt.Errorf("%w: %s %dx%d, want yuv420p %dx%d", ErrFormat,
			r.f.PixelFormat(), r.f.Width(), r.f.Height(), e.cfg.Width, e.cfg.Height)
	}
	r.f.SetPictureType(astiav.PictureTypeNone)
	if err := sendFrame(e.cc, r, videoTimeBase); err != nil {
		return fmt.Errorf("transcode: libx264: %w", err)
	}
	return receive(e.cc, e.pkt, func(data []byte, pts, dts int64, key bool) error {
		var au h264.AnnexB
		if err := au.Unmarshal(data); err != nil {
			return fmt.Errorf("transcode: libx264 output: %w", err)
		}
		if key {
			e.noteParameterSets(au)
		}
		emit(&media.Frame{
			Track:    e.cfg.Track,
			DTS:      toDuration(dts, videoTimeBase),
			PTS:      toDuration(pts, videoTimeBase),
			Keyframe: key,
			Data:     au,
		})
		return nil
	})
}

func (e *H264Encoder) noteParameterSets(au [][]byte) {
	for _, nalu := range au {
		switch h264.NALUType(nalu[0] & 0x1f) {
		case h264.NALUTypeSPS:
			e.sps = nalu
		case h264.NALUTypePPS:
			e.pps = nalu
		}
	}
}

// Track describes the encoder's output. SPS and PPS are known once the
// first keyframe has been emitted; before that Track returns false.
func (e *H264Encoder) Track() (media.Track, bool) {
	if e.sps == nil || e.pps == nil {
		return media.Track{}, false
	}
	return media.Track{
		ID: e.cfg.Track, Codec: media.CodecH264,
		SPS: e.sps, PPS: e.pps, Width: e.cfg.Width, Height: e.cfg.Height,
	}, true
}
