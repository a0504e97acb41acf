package wheptest

import (
	"context"
	"time"

	"streamhive/media"
	"streamhive/media/hub"
	"streamhive/media/mediatest"
)

// Feed writes the embedded clip's video (track 0, H.264) and a made-up
// audio track of codec audio (track 1, Opus or AAC: 20 ms packets of
// filler; a receiver that counts RTP needs no real audio) into a new hub
// in real time until ctx ends. The hub is returned at once; its first GOP
// arrives within a frame.
func Feed(ctx context.Context, audio media.Codec) (*hub.Hub, error) {
	clip, err := mediatest.LoadClip()
	if err != nil {
		return nil, err
	}
	h := hub.New(hub.Options{})
	video := clip.Tracks[0]
	h.SetTracks([]media.Track{video, {ID: 1, Codec: audio, SampleRate: 48000, Channels: 2}})
	w := h.NewWriter()
	go func() {
		defer h.Close()
		start := time.Now()
		const audioStep = 20 * time.Millisecond
		next := time.Duration(0)
		for _, f := range clip.Loop(time.Hour) {
			if f.Track != video.ID {
				continue
			}
			for ; next <= f.DTS; next += audioStep {
				w.WriteFrame(&media.Frame{Track: 1, DTS: next, PTS: next, Keyframe: true, Data: [][]byte{{0xfc, 0xff, 0xfe}}})
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Until(start.Add(f.DTS))):
			}
			w.WriteFrame(f)
		}
	}()
	return h, nil
}
