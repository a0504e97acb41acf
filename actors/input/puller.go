package input

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"

	"streamhive/media"
	"streamhive/supervision"
)

// ErrUnsupported is returned for an input whose URL scheme has no puller.
// It reaches the supervisor wrapped in supervision.Permanent: restarting
// cannot fix it.
var ErrUnsupported = errors.New("not supported yet")

// Puller fetches one source. protocols/* clients implement it; its
// signature names only standard and media types so that they can without
// importing this package.
//
// Pull connects to url with the input's protocol options (passphrase,
// streamid, ...; "name" is the stream's name unless the input sets it), calls publish once it knows the tracks, writes frames to
// the returned sink from its own goroutine, counting into
// media.InputStatsFrom(ctx) (the input's stats), and blocks until ctx is done
// (return ctx.Err() or nil) or the source fails (return why). If publish
// fails, Pull returns that error. Pull never retries: its input fails and
// the stream's supervisor decides. An error wrapping supervision.Permanent
// (or media.ErrUnsupportedCodec) stops the input for good.
//
// One Puller serves every input of its scheme: Pull must be safe for
// concurrent use.
type Puller interface {
	Pull(ctx context.Context, url string, options map[string]string,
		publish func(tracks []media.Track) (media.Sink, error)) error
}

// Pullers maps a URL scheme ("rtmp", "srt", "fake", ...) to its Puller. It
// is read-only once given to an actor.
type Pullers map[string]Puller

// Builtin returns the pullers this package provides: publish:// (wait for a
// publisher to come to us).
func Builtin() Pullers {
	return Pullers{"publish": WaitForPublisher{}}
}

// With returns a new registry: p's pullers, then more's, which win on a
// clash.
func (p Pullers) With(more Pullers) Pullers {
	out := maps.Clone(p)
	if out == nil {
		out = Pullers{}
	}
	maps.Copy(out, more)
	return out
}

// For returns the puller for url's scheme, or a Permanent error wrapping
// ErrUnsupported.
func (p Pullers) For(url string) (Puller, error) {
	scheme, _, ok := strings.Cut(url, "://")
	if !ok {
		return nil, &supervision.Permanent{Err: fmt.Errorf("input %q: no scheme: %w", url, ErrUnsupported)}
	}
	if puller, ok := p[scheme]; ok && puller != nil {
		return puller, nil
	}
	return nil, &supervision.Permanent{Err: fmt.Errorf("input %s:// %w", scheme, ErrUnsupported)}
}

// WaitForPublisher is the puller of publish:// inputs. It connects nowhere:
// the source comes to us (an RTMP, SRT or RTSP publisher, or WHIP), and the
// protocol listener hands it to the stream. The input only waits, showing
// status "waiting", until it is stopped.
type WaitForPublisher struct{}

// Pull implements Puller: it blocks until ctx is done.
func (WaitForPublisher) Pull(ctx context.Context, _ string, _ map[string]string,
	_ func([]media.Track) (media.Sink, error),
) error {
	<-ctx.Done()
	return ctx.Err()
}
