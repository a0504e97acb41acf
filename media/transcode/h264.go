package transcode

import (
	"fmt"
	"strconv"

	"github.com/asticode/go-astiav"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"

	"streamhive/media"
)

// videoTimeBase is the encoders' video time base: MPEG's 90 kHz, which
// every frame rate we meet divides well enough.
var videoTimeBase = astiav.NewRational(1, 90000)

// H264Config configures a video encoder: H.264 (libx264, h264_nvenc) or,
// with Codec set to media.CodecH265, HEVC (libx265, hevc_nvenc). Zero
// fields take the defaults named.
type H264Config struct {
	Track         int    // Track.ID of the frames produced
	Width, Height int    // required
	FPS           int    // nominal frame rate, default 25
	GOP           int    // frames between keyframes, fixed (no scene cuts); default FPS
	Bitrate       int    // bits per second; default 0: x264's CRF 23
	Preset        string // default "ultrafast"
	Tune          string // default "zerolatency" without B-frames: no lookahead, one frame in, one out
	Threads       int    // default 1, so that a stream's cost is one predictable share of a core
	BFrames       int    // B-frames between references; 0 (the default) means none
	Profile       string // the encoder's profile (baseline, main, high, ...); empty: the encoder's choice
	// Codec is media.CodecH264 (the default) or media.CodecH265.
	Codec media.Codec

	// ForcedKeyframes leaves keyframes to the caller (EncodeKey): x264's
	// own GOP is made long enough never to fire between the caller's
	// keyframes. A ladder uses it to put IDRs at the same source times in
	// every rendition.
	ForcedKeyframes bool

	// Encoder is FFmpeg's encoder name for H.264: "libx264" (the
	// default) or "h264_nvenc"; HEVC uses its counterpart (libx265,
	// hevc_nvenc). Device is the NVENC GPU index.
	Encoder string
	Device  int
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
	if c.Tune == "" && c.BFrames == 0 {
		c.Tune = "zerolatency"
	}
	if c.Codec == "" {
		c.Codec = media.CodecH264
	}
	c.Encoder = encoderName(c.Encoder, c.Codec)
	if c.Threads <= 0 {
		c.Threads = 1
	}
	return c
}

// encoderName is the FFmpeg encoder for codec on the device that h264
// names (libx264 or empty for the CPU, h264_nvenc for NVENC).
func encoderName(h264 string, codec media.Codec) string {
	nvenc := h264 == "h264_nvenc" || h264 == "hevc_nvenc"
	switch {
	case codec == media.CodecH265 && nvenc:
		return "hevc_nvenc"
	case codec == media.CodecH265:
		return "libx265"
	case nvenc:
		return "h264_nvenc"
	}
	return "libx264"
}

// H264Encoder encodes yuv420p pictures to H.264 or HEVC. Its keyframes
// carry the parameter sets in-band (no global header), so any keyframe
// starts a decodable stream. See WithH264Encoder.
type H264Encoder struct {
	cfg           H264Config
	cc            *astiav.CodecContext
	pkt           *astiav.Packet
	vps, sps, pps []byte // vps: HEVC only
}

// WithH264Encoder opens an encoder, calls fn with it and frees it when fn
// returns. It returns fn's error.
func WithH264Encoder(cfg H264Config, fn func(*H264Encoder) error) error {
	e, err := openH264(cfg)
	if err != nil {
		return err
	}
	defer e.free()
	return fn(e)
}

// openH264 opens an encoder that free releases. On error nothing is left
// allocated.
func openH264(cfg H264Config) (e *H264Encoder, err error) {
	routeLogs()
	cfg = cfg.withDefaults()
	codec := astiav.FindEncoderByName(cfg.Encoder)
	if codec == nil {
		return nil, fmt.Errorf("%w: %s", ErrNoEncoder, cfg.Encoder)
	}
	cc := astiav.AllocCodecContext(codec)
	if cc == nil {
		return nil, fmt.Errorf("transcode: allocating %s context", cfg.Encoder)
	}
	defer func() {
		if err != nil {
			cc.Free()
		}
	}()
	gop := cfg.GOP
	if cfg.ForcedKeyframes {
		gop = 1 << 20 // effectively infinite: only EncodeKey makes IDRs
	}
	cc.SetWidth(cfg.Width)
	cc.SetHeight(cfg.Height)
	cc.SetPixelFormat(astiav.PixelFormatYuv420P)
	cc.SetTimeBase(videoTimeBase)
	cc.SetFramerate(astiav.NewRational(cfg.FPS, 1))
	cc.SetGopSize(gop)
	cc.SetThreadCount(cfg.Threads)
	if cfg.Bitrate > 0 {
		cc.SetBitRate(int64(cfg.Bitrate))
	}

	opts := astiav.NewDictionary()
	defer opts.Free()
	for k, v := range encoderOptions(cfg, gop) {
		if err := opts.Set(k, v, astiav.NewDictionaryFlags()); err != nil {
			return nil, fmt.Errorf("transcode: %s option %s: %w", cfg.Encoder, k, err)
		}
	}
	if err := cc.Open(codec, opts); err != nil {
		if isNVENC(cfg.Encoder) {
			return nil, fmt.Errorf("%w: opening %s on device %d: %w", ErrNoDevice, cfg.Encoder, cfg.Device, err)
		}
		return nil, fmt.Errorf("transcode: opening %s %dx%d: %w", cfg.Encoder, cfg.Width, cfg.Height, err)
	}
	return &H264Encoder{cfg: cfg, cc: cc, pkt: astiav.AllocPacket()}, nil
}

func isNVENC(encoder string) bool { return encoder == "h264_nvenc" || encoder == "hevc_nvenc" }

// encoderOptions are the private options of cfg's encoder.
func encoderOptions(cfg H264Config, gop int) map[string]string {
	o := map[string]string{"forced-idr": "1", "bf": strconv.Itoa(cfg.BFrames)} // bf: AVCodecContext.max_b_frames
	if cfg.Profile != "" {
		o["profile"] = cfg.Profile
	}
	if isNVENC(cfg.Encoder) {
		// NVENC's presets are its own (p1..p7, fast, slow...): x264's
		// names are not passed on.
		o["gpu"] = strconv.Itoa(cfg.Device)
		return o
	}
	o["preset"] = cfg.Preset
	if cfg.Tune != "" {
		o["tune"] = cfg.Tune
	}
	// A fixed GOP: segmenters cut at keyframes, and renditions of one
	// ladder must cut at the same ones.
	keyint := "scenecut=0:min-keyint=" + strconv.Itoa(min(gop, 1000)) + ":keyint=" + strconv.Itoa(gop)
	if cfg.Encoder == "libx265" {
		// repeat-headers: VPS, SPS and PPS before every keyframe, as
		// x264 does without a global header; log-level: x265 prints its
		// settings to stderr otherwise.
		o["x265-params"] = keyint + ":repeat-headers=1:log-level=error"
		return o
	}
	o["x264-params"] = keyint
	return o
}

func (e *H264Encoder) free() {
	e.pkt.Free()
	e.cc.Free()
}

// Encode encodes one picture and calls emit for every access unit the
// encoder returns (with tune=zerolatency, exactly one). Frames passed to
// emit are new and owned by the callee.
func (e *H264Encoder) Encode(r *Raw, emit func(*media.Frame)) error {
	return e.EncodeKey(r, false, emit)
}

// EncodeKey is Encode that makes the picture an IDR when key is set (and
// leaves the choice to the encoder's GOP otherwise). With B-frames the
// encoder delays its output by a few pictures.
func (e *H264Encoder) EncodeKey(r *Raw, key bool, emit func(*media.Frame)) error {
	if r.f.PixelFormat() != astiav.PixelFormatYuv420P || r.f.Width() != e.cfg.Width || r.f.Height() != e.cfg.Height {
		return fmt.Errorf("%w: %s %dx%d, want yuv420p %dx%d", ErrFormat,
			r.f.PixelFormat(), r.f.Width(), r.f.Height(), e.cfg.Width, e.cfg.Height)
	}
	pt := astiav.PictureTypeNone
	if key {
		pt = astiav.PictureTypeI
	}
	r.f.SetPictureType(pt)
	if err := sendFrame(e.cc, r, videoTimeBase); err != nil {
		return fmt.Errorf("transcode: %s: %w", e.cfg.Encoder, err)
	}
	return receive(e.cc, e.pkt, func(data []byte, pts, dts int64, key bool) error {
		var au h264.AnnexB // the same start codes frame HEVC's NAL units
		if err := au.Unmarshal(data); err != nil {
			return fmt.Errorf("transcode: %s output: %w", e.cfg.Encoder, err)
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
	if e.cfg.Codec == media.CodecH265 {
		e.noteHEVCParameterSets(au)
		return
	}
	for _, nalu := range au {
		switch h264.NALUType(nalu[0] & 0x1f) {
		case h264.NALUTypeSPS:
			e.sps = nalu
		case h264.NALUTypePPS:
			e.pps = nalu
		default: // slices, SEI, AUD: not parameter sets
		}
	}
}

// noteHEVCParameterSets keeps the VPS, SPS and PPS of an HEVC keyframe.
func (e *H264Encoder) noteHEVCParameterSets(au [][]byte) {
	for _, nalu := range au {
		if len(nalu) < 2 {
			continue
		}
		switch h265.NALUType((nalu[0] >> 1) & 0x3f) {
		case h265.NALUType_VPS_NUT:
			e.vps = nalu
		case h265.NALUType_SPS_NUT:
			e.sps = nalu
		case h265.NALUType_PPS_NUT:
			e.pps = nalu
		default: // slices, SEI, AUD: not parameter sets
		}
	}
}

// Track describes the encoder's output. The parameter sets are known once
// the first keyframe has been emitted; before that Track returns false.
func (e *H264Encoder) Track() (media.Track, bool) {
	if e.sps == nil || e.pps == nil || (e.cfg.Codec == media.CodecH265 && e.vps == nil) {
		return media.Track{}, false
	}
	return media.Track{
		ID: e.cfg.Track, Codec: e.cfg.Codec,
		VPS: e.vps, SPS: e.sps, PPS: e.pps, Width: e.cfg.Width, Height: e.cfg.Height,
	}, true
}

// HaveEncoder reports whether the linked FFmpeg has the encoder name
// (libx265, hevc_nvenc, ...). Having it does not mean its device is there.
func HaveEncoder(name string) bool { return astiav.FindEncoderByName(name) != nil }
