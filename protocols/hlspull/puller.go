package hlspull

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"

	"streamhive/media"
	"streamhive/protocols/mpegts"
)

// queueLen bounds the segments downloaded ahead of the player: the
// liveStart segments of the start plus some slack for an origin that
// publishes in bursts.
const queueLen = 8

// Puller implements hls:// and hlss:// inputs (actors/input.Puller). One
// Puller serves any number of concurrent pulls.
type Puller struct {
	// Client makes the requests; nil means a client with 10 s connect,
	// TLS and response-header timeouts (each download is also bounded to
	// 30 s).
	Client *http.Client
}

// options are an input's parsed options.
type options struct {
	variant int // -1: highest bandwidth
	ua      string
	ts      mpegts.Config
}

func parseOptions(o map[string]string) (options, error) {
	out := options{variant: -1, ua: o["user_agent"]}
	if out.ua == "" {
		out.ua = UserAgent
	}
	if v, ok := o["variant"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return out, fmt.Errorf("%w: variant=%q: want a 0-based index", ErrBadOptions, v)
		}
		out.variant = n
	}
	var err error
	out.ts, err = mpegts.ParseOptions(o)
	return out, err
}

// Pull follows the playlist url names until ctx is done (it returns
// ctx.Err()) or the input fails: the playlist cannot be fetched or parsed,
// stops updating (ErrStalled) or ends (ErrEnded), a segment cannot be
// fetched (except one the origin already dropped: counted and skipped),
// or the segments cannot be demuxed. publish is called once the first
// segment shows the tracks.
func (p Puller) Pull(ctx context.Context, url string, opts map[string]string,
	publish func([]media.Track) (media.Sink, error),
) error {
	target, err := playlistURL(url)
	if err != nil {
		return err
	}
	o, err := parseOptions(opts)
	if err != nil {
		return err
	}
	client := p.Client
	if client == nil {
		client = defaultClient
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stats := media.InputStatsFrom(ctx)
	f := &follower{get: &getter{client: client, ua: o.ua}, url: target, variant: o.variant, stats: stats}
	q := &queue{ch: make(chan *fetched, queueLen)}
	go f.run(ctx, q)

	paced := func(tracks []media.Track) (media.Sink, error) {
		sink, err := publish(tracks)
		if err != nil {
			return nil, fmt.Errorf("hlspull: publish: %w", err)
		}
		return newPacer(ctx, sink), nil
	}
	err = play(ctx, q, o.ts, paced, stats)
	cancel()
	drain(q)
	if parent.Err() != nil {
		return parent.Err()
	}
	return err
}

// play reads segments until the queue or the demux fails. The first
// segment decides the format: MPEG-TS or fMP4 (an EXT-X-MAP).
func play(ctx context.Context, q *queue, cfg mpegts.Config, publish func([]media.Track) (media.Sink, error), stats *media.InputStats) error {
	first, err := q.next()
	if err != nil {
		return err
	}
	if first.init == nil {
		return playTS(ctx, q, first, cfg, publish)
	}
	return playFMP4(q, first, publish, stats)
}

// playTS feeds the segments, back to back, to one MPEG-TS demux: an HLS
// origin cuts one transport stream into segments, with continuity counters
// and timestamps running on across them. When the queue fails, the pipe
// fails with its error, and the demux returns it (wrapping what was still
// missing when that happened before the tracks were known).
func playTS(ctx context.Context, q *queue, first *fetched, cfg mpegts.Config, publish func([]media.Track) (media.Sink, error)) error {
	pr, pw := io.Pipe()
	go func() {
		seg := first
		for {
			if seg.init != nil {
				_ = pw.CloseWithError(fmt.Errorf("%w: an fMP4 segment after MPEG-TS", ErrFormatChanged))
				return
			}
			if _, err := pw.Write(seg.data); err != nil {
				return // the demux stopped
			}
			var err error
			if seg, err = q.next(); err != nil {
				_ = pw.CloseWithError(err)
				return
			}
		}
	}()
	stop := context.AfterFunc(ctx, func() { _ = pr.CloseWithError(ctx.Err()) })
	defer stop()
	err := mpegts.Stream(ctx, pr, cfg, publish)
	_ = pr.CloseWithError(err)
	return err
}

// playFMP4 reads fMP4 segments. A segment that does not parse is counted
// in Errors and skipped; an init section that does not parse, or whose
// tracks change, fails the input.
func playFMP4(q *queue, seg *fetched, publish func([]media.Track) (media.Sink, error), stats *media.InputStats) error {
	var r fmp4Reader
	var sink media.Sink
	for {
		if seg.init == nil {
			return fmt.Errorf("%w: an MPEG-TS segment after fMP4", ErrFormatChanged)
		}
		first, err := r.setInit(seg.init)
		if err != nil {
			return fmt.Errorf("hlspull: init section %s: %w", seg.seg.Map, err)
		}
		if first {
			if sink, err = publish(r.init.tracks); err != nil {
				return err
			}
		}
		frames, err := r.frames(seg.data)
		if err != nil {
			stats.Errors.Add(1)
			slog.Warn("hls pull: segment dropped", "segment", seg.seg.URI, "err", err)
		}
		for _, fr := range frames {
			sink.WriteFrame(fr)
			stats.Frames.Add(1)
		}
		if seg, err = q.next(); err != nil {
			return err
		}
	}
}

// drain discards what the follower still sends and returns once it has
// stopped (its queue is closed).
func drain(q *queue) {
	for {
		if _, err := q.next(); err != nil {
			return
		}
	}
}
