package rtsp

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"

	"streamhive/media"
)

// Puller plays rtsp:// and rtsps:// URLs (cameras, other servers): it
// implements actors/input.Puller. The zero value works; Pull is safe for
// concurrent use (fields are only read).
type Puller struct {
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// Timeout bounds connecting and each request, and the silence
	// tolerated while playing. Default 10 s.
	Timeout time.Duration
	// TLSConfig is used for rtsps://; nil verifies the server against the
	// system roots. Each pull uses a copy.
	TLSConfig *tls.Config
}

const defaultPullTimeout = 10 * time.Second

// Pull connects to url (rtsp://[USER:PASS@]HOST[:PORT]/PATH; credentials
// are answered to Basic and Digest challenges), plays the tracks we carry,
// calls publish once they are known (at the first video keyframe) and
// writes frames to the sink it returns. Options: rtp=udp, rtsp_tcp (see
// transportOption). It blocks until ctx is done (returning ctx.Err()) or
// the session fails (returning why), and never retries. It counts into
// media.InputStatsFrom(ctx): bytes of RTP received, frames written, and
// errors (skipped tracks once each, lost packets, undecodable units).
func (p *Puller) Pull(ctx context.Context, rawURL string, options map[string]string,
	publish func([]media.Track) (media.Sink, error),
) error {
	u, err := base.ParseURL(rawURL)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBadURL, err)
	}
	if u.Host == "" {
		return fmt.Errorf("%w: %q has no host", ErrBadURL, redact(u))
	}
	tr, err := transportOption(options)
	if err != nil {
		return err
	}
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = defaultPullTimeout
	}
	log := p.Logger
	if log == nil {
		log = slog.Default()
	}
	log = log.With("proto", "rtsp", "url", redact(u))
	stats := media.InputStatsFrom(ctx)

	c := &gortsplib.Client{
		Scheme: u.Scheme, Host: u.Host,
		ReadTimeout: timeout, WriteTimeout: timeout,
		TLSConfig:     p.TLSConfig.Clone(), // gortsplib writes ServerName into it
		OnPacketsLost: func(n uint64) { stats.Errors.Add(n) },
		OnDecodeError: func(err error) {
			stats.Errors.Add(1)
			log.Debug("rtsp: undecodable packet", slog.Any("err", err))
		},
		OnTransportSwitch: func(err error) { log.Info("rtsp: switching transport", slog.Any("why", err)) },
	}
	switch tr {
	case transportTCP:
		c.Transport = ptr(gortsplib.TransportTCP)
	case transportUDP:
		c.Transport = ptr(gortsplib.TransportUDP)
	case transportAuto: // nil: gortsplib tries UDP, then TCP
	}
	if err := c.Start2(); err != nil {
		return fmt.Errorf("rtsp: %w", err)
	}
	stop := context.AfterFunc(ctx, c.Close)
	defer stop()
	defer c.Close()

	err = p.play(c, u, tr, log, stats, publish)
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	return err
}

// play runs DESCRIBE, SETUP and PLAY, then waits until the session fails.
func (p *Puller) play(c *gortsplib.Client, u *base.URL, tr transport, log *slog.Logger,
	stats *media.InputStats, publish func([]media.Track) (media.Sink, error),
) error {
	desc, _, err := c.Describe(u)
	if err != nil {
		return fmt.Errorf("rtsp: describe: %w", err)
	}
	sel, err := selectTracks(desc.Medias)
	if err != nil {
		for _, s := range sel.skipped {
			log.Warn("rtsp: skipping a track the stream cannot carry", slog.String("track", s))
		}
		return err
	}
	failed := make(chan error, 1)
	in := newIngest(ingestConfig{
		sel: sel, stats: stats, log: log, publish: publish, pts: c.PacketPTS2,
		fail: func(err error) { failed <- err },
	})
	for _, m := range sel.medias() {
		if _, err := c.Setup(desc.BaseURL, m, 0, 0); err != nil {
			return fmt.Errorf("rtsp: setup: %w", err)
		}
	}
	c.OnPacketRTPAny(in.onPacket)
	if _, err := c.Play(nil); err != nil {
		return fmt.Errorf("rtsp: play: %w", err)
	}
	log.Info("rtsp: playing", slog.String("transport", tr.String()))

	ended := make(chan error, 1)
	go func() { ended <- c.Wait() }()
	select {
	case err := <-failed:
		return err
	case err := <-ended:
		if err == nil {
			err = errors.New("rtsp: session ended")
		}
		return fmt.Errorf("rtsp: %w", err)
	}
}

// redact returns u without credentials or query, for logs and errors.
func redact(u *base.URL) string {
	v := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}
	return v.String()
}

func ptr[T any](v T) *T { return &v }
