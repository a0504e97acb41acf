package main

import (
	"context"
	"fmt"
	"time"

	"streamhive/media"
	"streamhive/protocols/rtmp"
	"streamhive/protocols/rtsp"
	"streamhive/protocols/srt"
)

// viewer plays stream s1 of srv until ctx ends, adding the bytes it
// receives to got.Bytes and the media units (frames; RTP packets for
// WHEP, segments for HLS) to got.Frames; it returns nil when ctx ended it.
type viewer func(ctx context.Context, srv *server, got *media.InputStats) error

// viewerKinds are the protocols a run can measure.
var viewerKinds = map[string]viewer{
	"hls":      playHLS,
	"rtmp":     pull(&rtmp.Puller{}, func(u urls) string { return u.rtmp }, nil),
	"rtsp":     pull(&rtsp.Puller{}, func(u urls) string { return u.rtsp }, nil),
	"rtsp-udp": pull(&rtsp.Puller{}, func(u urls) string { return u.rtsp }, map[string]string{"rtp": "udp"}),
	"srt":      pull(srt.Puller{}, func(u urls) string { return u.srt }, nil),
	"whep":     playWHEP,
}

// puller is what StreamHive's inputs pull with (protocols/*).
type puller interface {
	Pull(ctx context.Context, url string, options map[string]string, publish func([]media.Track) (media.Sink, error)) error
}

// pull makes a viewer of a puller: the puller counts the bytes and the
// frames it receives into got, and the frames are dropped.
func pull(p puller, url func(urls) string, options map[string]string) viewer {
	return func(ctx context.Context, srv *server, got *media.InputStats) error {
		u := url(srv.urls)
		err := p.Pull(media.WithInputStats(ctx, got), u, options, func([]media.Track) (media.Sink, error) {
			return discard{}, nil
		})
		if err == nil {
			err = fmt.Errorf("%s ended", u)
		}
		return ignoreEnd(ctx, err)
	}
}

type discard struct{}

func (discard) WriteFrame(*media.Frame) {}

// retry runs v again when it fails before ctx ends, a second apart, so a
// viewer that loses its connection comes back as a player would; it
// returns the first failure (nil when there was none).
func retry(ctx context.Context, v viewer, srv *server, got *media.InputStats) error {
	var first error
	for ctx.Err() == nil {
		err := v(ctx, srv, got)
		if err == nil {
			return first
		}
		if first == nil {
			first = err
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
	return first
}
