package transcode

import (
	"errors"
	"fmt"

	"github.com/asticode/go-astiav"

	"streamhive/media"
)

// ErrNoPicture is returned by KeyframeJPEG when the decoder produced no
// picture from the keyframe (a truncated or corrupt access unit).
var ErrNoPicture = errors.New("transcode: keyframe decoded to no picture")

// jpegQuality bounds the mjpeg encoder's quantiser (2 best .. 31 worst):
// its rate control would otherwise aim at its default 200 kbit/s and blur
// the picture; 5 keeps a preview sharp at a few tens of kilobytes for
// 640x360.
const jpegQuality = 5

// KeyframeJPEG decodes one keyframe of track (H.264 or H.265) and encodes
// the picture as a baseline JPEG. The track's parameter sets are fed before
// the frame, so a keyframe without in-band SPS/PPS decodes too. It decodes
// on the calling goroutine and allocates and frees everything itself; each
// call costs one decode and one encode (about a millisecond at 640x360),
// so callers cache the result per keyframe.
func KeyframeJPEG(track media.Track, f *media.Frame) ([]byte, error) {
	routeLogs()
	id, params, err := decoderFor(track)
	if err != nil {
		return nil, err
	}
	codec := astiav.FindDecoder(id)
	if codec == nil {
		return nil, fmt.Errorf("transcode: no %s decoder", track.Codec)
	}
	dec := astiav.AllocCodecContext(codec)
	if dec == nil {
		return nil, fmt.Errorf("transcode: allocating %s decoder", track.Codec)
	}
	defer dec.Free()
	dec.SetThreadCount(1) // one picture: frame threading would only add delay
	if err := dec.Open(codec, nil); err != nil {
		return nil, fmt.Errorf("transcode: opening %s decoder: %w", track.Codec, err)
	}

	pkt := astiav.AllocPacket()
	defer pkt.Free()
	if err := pkt.FromData(annexB(params, f.Data)); err != nil {
		return nil, fmt.Errorf("transcode: keyframe packet: %w", err)
	}
	pic := astiav.AllocFrame()
	defer pic.Free()
	if err := decodeOne(dec, pkt, pic); err != nil {
		return nil, err
	}
	return encodeJPEG(pic)
}

// decoderFor returns the decoder and the parameter sets of a video track.
func decoderFor(track media.Track) (astiav.CodecID, [][]byte, error) {
	switch track.Codec {
	case media.CodecH264:
		return astiav.CodecIDH264, [][]byte{track.SPS, track.PPS}, nil
	case media.CodecH265:
		return astiav.CodecIDHevc, [][]byte{track.VPS, track.SPS, track.PPS}, nil
	default:
		return 0, nil, fmt.Errorf("transcode: preview of %s: %w", track.Codec, media.ErrUnsupportedCodec)
	}
}

// annexB joins parameter sets and NAL units with start codes.
func annexB(params, nalus [][]byte) []byte {
	n := 0
	for _, b := range params {
		n += 4 + len(b)
	}
	for _, b := range nalus {
		n += 4 + len(b)
	}
	out := make([]byte, 0, n)
	for _, set := range [][][]byte{params, nalus} {
		for _, b := range set {
			if len(b) > 0 {
				out = append(out, 0, 0, 0, 1)
				out = append(out, b...)
			}
		}
	}
	return out
}

// decodeOne sends pkt, drains the decoder and leaves the first picture in
// pic.
func decodeOne(dec *astiav.CodecContext, pkt *astiav.Packet, pic *astiav.Frame) error {
	if err := dec.SendPacket(pkt); err != nil {
		return fmt.Errorf("transcode: decoding keyframe: %w", err)
	}
	if err := dec.SendPacket(nil); err != nil { // flush: the picture comes out now
		return fmt.Errorf("transcode: flushing decoder: %w", err)
	}
	err := dec.ReceiveFrame(pic)
	switch {
	case errors.Is(err, astiav.ErrEagain) || errors.Is(err, astiav.ErrEof):
		return ErrNoPicture
	case err != nil:
		return fmt.Errorf("transcode: decoding keyframe: %w", err)
	}
	return nil
}

// encodeJPEG encodes pic with FFmpeg's mjpeg encoder in pic's own pixel
// format. Limited-range YUV (what H.264 encoders produce) is "unofficial"
// in JPEG but every browser shows it; without a scaler there is no copy.
func encodeJPEG(pic *astiav.Frame) ([]byte, error) {
	codec := astiav.FindEncoder(astiav.CodecIDMjpeg)
	if codec == nil {
		return nil, fmt.Errorf("%w: mjpeg", ErrNoEncoder)
	}
	enc := astiav.AllocCodecContext(codec)
	if enc == nil {
		return nil, errors.New("transcode: allocating mjpeg encoder")
	}
	defer enc.Free()
	enc.SetWidth(pic.Width())
	enc.SetHeight(pic.Height())
	enc.SetPixelFormat(pic.PixelFormat())
	enc.SetTimeBase(astiav.NewRational(1, 25))
	enc.SetStrictStdCompliance(astiav.StrictStdComplianceUnofficial)
	opts := astiav.NewDictionary()
	defer opts.Free()
	q := fmt.Sprint(jpegQuality)
	for k, v := range map[string]string{"qmin": q, "qmax": q} {
		if err := opts.Set(k, v, astiav.NewDictionaryFlags()); err != nil {
			return nil, fmt.Errorf("transcode: mjpeg option %s: %w", k, err)
		}
	}
	if err := enc.Open(codec, opts); err != nil {
		return nil, fmt.Errorf("transcode: opening mjpeg for %s %dx%d: %w",
			pic.PixelFormat(), pic.Width(), pic.Height(), err)
	}
	pic.SetPts(0)
	pic.SetPictureType(astiav.PictureTypeNone)
	if err := enc.SendFrame(pic); err != nil {
		return nil, fmt.Errorf("transcode: mjpeg: %w", err)
	}
	if err := enc.SendFrame(nil); err != nil {
		return nil, fmt.Errorf("transcode: mjpeg flush: %w", err)
	}
	pkt := astiav.AllocPacket()
	defer pkt.Free()
	var out []byte
	err := receive(enc, pkt, func(data []byte, _, _ int64, _ bool) error {
		if out == nil {
			out = data
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if out == nil {
		return nil, errors.New("transcode: mjpeg produced no picture")
	}
	return out, nil
}
