package fake

import (
	"context"
	"fmt"
	"time"

	"streamhive/media"
	"streamhive/media/transcode"
)

// Puller implements the fake:// input (actors/input.Puller). It has no
// state: one Puller serves any number of concurrent pulls.
type Puller struct{}

// Pull generates the test pattern that url describes in real time: it
// publishes the tracks (H.264 track 0, AAC track 1) once the first
// keyframe is encoded, then writes frames to the sink as their wall-clock
// time comes, until ctx is done (it returns ctx.Err()) or encoding fails.
// Frame timestamps start at 0 and are continuous; when the machine falls
// behind, frames are produced late rather than skipped. The label burned in
// is the URL's name query, else options["name"], else the URL's host. It
// counts encoded bytes and frames into media.InputStatsFrom(ctx).
func (Puller) Pull(ctx context.Context, url string, options map[string]string,
	publish func([]media.Track) (media.Sink, error),
) error {
	o, err := parseURL(url)
	if err != nil {
		return err
	}
	if n := options["name"]; n != "" && !o.nameInQuery {
		o.name = n
	}
	stats := media.InputStatsFrom(ctx)
	start := time.Now()
	return transcode.WithGenerator(videoGraph(o, start), media.KindVideo, func(vg *transcode.Generator) error {
		return transcode.WithGenerator(audioGraph(o), media.KindAudio, func(ag *transcode.Generator) error {
			vcfg := transcode.H264Config{Track: 0, Width: o.width, Height: o.height, FPS: o.fps, GOP: o.gop, Bitrate: o.bitrate}
			return transcode.WithH264Encoder(vcfg, func(ve *transcode.H264Encoder) error {
				return transcode.WithAACEncoder(transcode.AACConfig{Track: 1, SampleRate: sampleRate}, func(ae *transcode.AACEncoder) error {
					r := &run{o: o, start: start, stats: stats, vg: vg, ag: ag, ve: ve, ae: ae}
					return r.loop(ctx, publish)
				})
			})
		})
	})
}

// run is one Pull's pipeline state, used by the Pull goroutine only.
type run struct {
	o     options
	start time.Time
	stats *media.InputStats
	vg    *transcode.Generator
	ag    *transcode.Generator
	ve    *transcode.H264Encoder
	ae    *transcode.AACEncoder
	sink  media.Sink

	videoN, audioN int64 // frames and sample blocks produced so far
	out            []*media.Frame
}

func (r *run) loop(ctx context.Context, publish func([]media.Track) (media.Sink, error)) error {
	if err := r.nextVideo(); err != nil {
		return err
	}
	vt, ok := r.ve.Track()
	if !ok {
		return fmt.Errorf("fake: the first encoded picture is not a keyframe")
	}
	sink, err := publish([]media.Track{vt, r.ae.Track()})
	if err != nil {
		return fmt.Errorf("fake: publish: %w", err)
	}
	r.sink = sink
	r.flush()

	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		videoDue := r.start.Add(time.Duration(r.videoN) * time.Second / time.Duration(r.o.fps))
		audioDue := r.start.Add(time.Duration(r.audioN) * samplesPerBlock * time.Second / sampleRate)
		due, video := videoDue, true
		if audioDue.Before(videoDue) {
			due, video = audioDue, false
		}
		if wait := time.Until(due); wait > 0 {
			timer.Reset(wait)
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-timer.C:
			}
		} else if err := ctx.Err(); err != nil {
			return err
		}
		if video {
			err = r.nextVideo()
		} else {
			err = r.nextAudio()
		}
		if err != nil {
			return err
		}
		r.flush()
	}
}

func (r *run) collect(f *media.Frame) { r.out = append(r.out, f) }

func (r *run) nextVideo() error {
	raw, err := r.vg.Next()
	if err != nil {
		return err
	}
	r.videoN++
	return r.ve.Encode(raw, r.collect)
}

func (r *run) nextAudio() error {
	raw, err := r.ag.Next()
	if err != nil {
		return err
	}
	r.audioN++
	return r.ae.Encode(raw, r.collect)
}

// flush writes the frames encoded so far.
func (r *run) flush() {
	for _, f := range r.out {
		r.sink.WriteFrame(f)
		r.stats.Frames.Add(1)
		r.stats.Bytes.Add(uint64(f.Size()))
	}
	clear(r.out)
	r.out = r.out[:0]
}
