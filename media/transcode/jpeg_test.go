package transcode

import (
	"bytes"
	"errors"
	"image/jpeg"
	"testing"

	"streamhive/media"
)

func TestKeyframeJPEG(t *testing.T) {
	var key *media.Frame
	var track media.Track
	err := WithGenerator("testsrc=size=320x180:rate=25,format=yuv420p", media.KindVideo, func(g *Generator) error {
		return WithH264Encoder(H264Config{Width: 320, Height: 180, FPS: 25, GOP: 25}, func(e *H264Encoder) error {
			r, err := g.Next()
			if err != nil {
				return err
			}
			if err := e.Encode(r, func(f *media.Frame) { key = f }); err != nil {
				return err
			}
			track, _ = e.Track()
			return nil
		})
	})
	if err != nil || key == nil || !key.Keyframe {
		t.Fatalf("encoding a keyframe: %v (frame %+v)", err, key)
	}

	// Only the slices: the parameter sets come from the track.
	var slices [][]byte
	for _, nalu := range key.Data {
		if typ := nalu[0] & 0x1f; typ != 7 && typ != 8 {
			slices = append(slices, nalu)
		}
	}
	out, err := KeyframeJPEG(track, &media.Frame{Keyframe: true, Data: slices})
	if err != nil {
		t.Fatalf("KeyframeJPEG: %v", err)
	}
	img, err := jpeg.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("image/jpeg cannot read the preview: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 320 || b.Dy() != 180 {
		t.Errorf("preview is %dx%d, want 320x180", b.Dx(), b.Dy())
	}
	if len(out) < 2000 {
		t.Errorf("preview is %d bytes: suspiciously small for testsrc", len(out))
	}

	if _, err := KeyframeJPEG(media.Track{Codec: media.CodecAAC}, key); !errors.Is(err, media.ErrUnsupportedCodec) {
		t.Errorf("KeyframeJPEG(aac) = %v, want ErrUnsupportedCodec", err)
	}
	if _, err := KeyframeJPEG(track, &media.Frame{Keyframe: true, Data: [][]byte{{0x65, 0x88}}}); err == nil {
		t.Errorf("KeyframeJPEG(garbage) succeeded")
	}
}
