package mpegts

import (
	"context"
	"errors"
	"fmt"
	"io"

	"streamhive/media"
)

// Stream is the body of every TS pull: it demuxes r, calls publish once
// the tracks are known, and writes every frame to the sink publish
// returned, counting into media.InputStatsFrom(ctx) (Frames included). It
// returns when r fails or ends (io.ErrUnexpectedEOF for an end: a live
// source that stops has failed), when the demux fails (see Demuxer), or
// with publish's error. ctx only carries the stats and tells a
// cancellation from a failure: the caller must make r fail when ctx is
// done (close the connection), and Stream then returns ctx.Err().
func Stream(ctx context.Context, r io.Reader, cfg Config, publish func([]media.Track) (media.Sink, error)) error {
	stats := media.InputStatsFrom(ctx)
	d := NewDemuxer(r, cfg, stats)
	tracks, err := d.Tracks()
	if err != nil {
		return streamErr(ctx, err)
	}
	sink, err := publish(tracks)
	if err != nil {
		return fmt.Errorf("mpegts: publish: %w", err)
	}
	for {
		f, err := d.ReadFrame()
		if err != nil {
			return streamErr(ctx, err)
		}
		sink.WriteFrame(f)
		stats.Frames.Add(1)
	}
}

func streamErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
