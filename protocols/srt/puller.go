package srt

import (
	"context"
	"fmt"
	"maps"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	gosrt "github.com/datarhei/gosrt"

	"streamhive/media"
	"streamhive/protocols/mpegts"
)

// Puller implements srt:// inputs in caller mode (actors/input.Puller):
// it connects to an SRT listener and asks for a stream, as in
//
//	input srt://origin:9998 streamid="#!::r=cam1,m=request" passphrase=0123456789;
//
// One Puller serves any number of concurrent pulls.
type Puller struct{}

// Pull connects to url, demuxes the MPEG-TS it receives with mpegts.Stream
// (program and PID selection from options) and writes its frames to the
// sink publish returns, until ctx is done (it returns ctx.Err()), the
// connection fails or ends (the peer closed, or went quiet past SRT's
// peer idle timeout), or the demux fails. SRT options come from the URL's
// query (srt://h:p?streamid=...&passphrase=...) and from options, which
// win: streamid, passphrase, latency (ms), connect_timeout (s; 0 means
// 3 s), pbkeylen. Counts go to media.InputStatsFrom(ctx), SRT statistics
// included.
func (Puller) Pull(ctx context.Context, url string, options map[string]string,
	publish func([]media.Track) (media.Sink, error),
) error {
	addr, cfg, err := dialConfig(url, options)
	if err != nil {
		return err
	}
	tsCfg, err := mpegts.ParseOptions(options)
	if err != nil {
		return err
	}
	conn, closeConn, err := dial(ctx, addr, cfg)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("srt: %s: %w", addr, err)
	}
	defer closeConn()

	stats := media.InputStatsFrom(ctx)
	statsCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		watchStats(statsCtx, conn, &stats.SRT)
	}()
	err = mpegts.Stream(ctx, conn, tsCfg, publish)
	cancel()
	<-done
	if ctx.Err() == nil {
		err = fmt.Errorf("srt: %s: %w", addr, err)
	}
	return err
}

// dial calls addr as a caller. The connection closes when ctx ends or
// closeConn is called.
func dial(ctx context.Context, addr string, cfg gosrt.Config) (conn gosrt.Conn, closeConn func(), err error) {
	// Dial cannot be cancelled; cfg.ConnectionTimeout bounds it.
	conn, err = gosrt.Dial("srt", addr, cfg)
	if err != nil {
		return nil, nil, err
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	return conn, func() { stop(); _ = conn.Close() }, nil
}

// dialConfig turns an input's URL and options into the address to call
// and gosrt's configuration.
func dialConfig(rawURL string, options map[string]string) (string, gosrt.Config, error) {
	cfg := gosrt.DefaultConfig()
	rest, ok := strings.CutPrefix(rawURL, "srt://")
	if !ok {
		return "", cfg, fmt.Errorf("%w: %q: want srt://HOST:PORT", ErrBadURL, rawURL)
	}
	// The query is split off by hand: a streamid's "#!::" is data here,
	// not a URL fragment.
	hostport, rawQuery, _ := strings.Cut(rest, "?")
	hostport = strings.TrimSuffix(hostport, "/")
	host, port, err := net.SplitHostPort(hostport)
	if err != nil || host == "" {
		return "", cfg, fmt.Errorf("%w: %q: want srt://HOST:PORT", ErrBadURL, rawURL)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", cfg, fmt.Errorf("%w: %q: port %q", ErrBadURL, rawURL, port)
	}
	query, err := url.ParseQuery(rawQuery)
	if err != nil {
		return "", cfg, fmt.Errorf("%w: %q: %w", ErrBadURL, rawURL, err)
	}
	opts := map[string]string{}
	for k, v := range query {
		opts[k] = v[len(v)-1]
	}
	maps.Copy(opts, options)
	if err := applyOptions(&cfg, opts); err != nil {
		return "", cfg, err
	}
	if err := cfg.Validate(); err != nil {
		return "", cfg, fmt.Errorf("%w: %w", ErrBadOptions, err)
	}
	return net.JoinHostPort(host, port), cfg, nil
}

// applyOptions sets the SRT options a Flussonic srt:// input may carry.
// Others (program, pids, name, ...) belong to the demuxer or the server.
func applyOptions(cfg *gosrt.Config, opts map[string]string) error {
	if m, ok := opts["mode"]; ok && m != "caller" {
		return fmt.Errorf("%w: mode=%s: only caller inputs are supported", ErrBadOptions, m)
	}
	if v, ok := opts["streamid"]; ok {
		cfg.StreamId = v
	}
	if v, ok := opts["passphrase"]; ok {
		cfg.Passphrase = v
	}
	for _, o := range []struct {
		key  string
		unit time.Duration
		set  func(time.Duration)
	}{
		{"latency", time.Millisecond, func(d time.Duration) { cfg.ReceiverLatency, cfg.PeerLatency = d, d }},
		{"connect_timeout", time.Second, func(d time.Duration) {
			if d > 0 {
				cfg.ConnectionTimeout = d
			}
		}},
	} {
		if v, ok := opts[o.key]; ok {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return fmt.Errorf("%w: %s=%q", ErrBadOptions, o.key, v)
			}
			o.set(time.Duration(n) * o.unit)
		}
	}
	if v, ok := opts["pbkeylen"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("%w: pbkeylen=%q", ErrBadOptions, v)
		}
		cfg.PBKeylen = n
	}
	return nil
}
