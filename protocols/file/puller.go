package file

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"time"

	"streamhive/media"
	"streamhive/media/vod"
	"streamhive/protocols/mpegts"
)

// Puller implements file:// inputs (actors/input.Puller). One Puller
// serves any number of concurrent pulls.
type Puller struct{}

// Pull plays the file url names in a loop at real-time pace: it publishes
// the file's tracks, then writes each frame when its time comes (the
// pull's start plus the frame's DTS), until ctx is done (it returns
// ctx.Err()) or the file cannot be read. Loop n's timestamps are loop 0's
// plus n times the file's duration. A file whose tracks change between
// loops (rewritten in place) ends the pull with mpegts.ErrTracksChanged.
// Counts go to media.InputStatsFrom(ctx): Bytes are the sample (MP4) or
// file (TS) bytes read, TS counters for TS files.
func (Puller) Pull(ctx context.Context, url string, options map[string]string,
	publish func([]media.Track) (media.Sink, error),
) error {
	path, err := ParseURL(url)
	if err != nil {
		return err
	}
	return pull(ctx, path, func() (vod.File, error) { return openPath(path) }, options, publish)
}

// pull plays the file opener opens (again at each loop) as Pull describes.
func pull(ctx context.Context, path string, opener func() (vod.File, error), options map[string]string,
	publish func([]media.Track) (media.Sink, error),
) error {
	cfg, err := mpegts.ParseOptions(options)
	if err != nil {
		return err
	}
	stats := media.InputStatsFrom(ctx)
	src, err := open(path, opener, cfg, stats)
	if err != nil {
		return err
	}
	tracks := src.tracks()
	sink, err := publish(tracks)
	if err != nil {
		_ = src.close()
		return fmt.Errorf("file: publish: %w", err)
	}
	p := &player{sink: sink, stats: stats, start: time.Now(), timer: time.NewTimer(0)}
	defer p.timer.Stop()
	for {
		err := p.play(ctx, src, len(tracks))
		_ = src.close() // read-only: nothing to lose
		if err != nil {
			return err
		}
		if src, err = open(path, opener, cfg, stats); err != nil {
			return err
		}
		if !reflect.DeepEqual(src.tracks(), tracks) {
			_ = src.close()
			return fmt.Errorf("file: %s: %w", path, mpegts.ErrTracksChanged)
		}
	}
}

// player paces one pull's frames. Used by the Pull goroutine only.
type player struct {
	sink   media.Sink
	stats  *media.InputStats
	start  time.Time
	offset time.Duration // added to this loop's timestamps
	timer  *time.Timer
}

// play plays one loop of src and moves offset past it.
func (p *player) play(ctx context.Context, src source, ntracks int) error {
	last := make([]time.Duration, ntracks) // each track's last DTS in this loop
	step := make([]time.Duration, ntracks) // and the step before it
	seen := make([]bool, ntracks)
	for {
		f, err := src.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if f.Track < 0 || f.Track >= ntracks {
			continue
		}
		if seen[f.Track] {
			step[f.Track] = f.DTS - last[f.Track]
		}
		last[f.Track], seen[f.Track] = f.DTS, true
		f.DTS += p.offset
		f.PTS += p.offset
		if err := p.wait(ctx, p.start.Add(f.DTS)); err != nil {
			return err
		}
		p.sink.WriteFrame(f)
		p.stats.Frames.Add(1)
	}
	var length time.Duration
	for i := range last {
		length = max(length, last[i]+step[i])
	}
	if length <= 0 {
		return fmt.Errorf("%w: the file holds less than two frames to loop", ErrUnsupported)
	}
	p.offset += length
	return nil
}

// wait blocks until due or ctx is done.
func (p *player) wait(ctx context.Context, due time.Time) error {
	if d := time.Until(due); d > 0 {
		p.timer.Reset(d)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-p.timer.C:
			return nil
		}
	}
	return ctx.Err()
}
