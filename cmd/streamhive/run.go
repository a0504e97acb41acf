package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"streamhive/actors/certs"
	"streamhive/actors/config"
	"streamhive/actors/server"
	"streamhive/actors/streams"
	"streamhive/gateway"
	"streamhive/gateway/local"
	"streamhive/gateway/peer"
	"streamhive/gateway/play"
)

// stopTimeout is how long a graceful stop may take (an operator expects it within 5 s).
const stopTimeout = 4 * time.Second

type options struct {
	config   string
	check    bool
	loglevel string
	idle     streams.Idle
	webrtc   webrtcFlags
	runtime  runtimeFlags
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("streamhive", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.config, "config", "", "configuration `file` (Flussonic syntax); empty runs the embedded default")
	fs.BoolVar(&o.check, "t", false, "check the configuration and exit")
	fs.StringVar(&o.loglevel, "loglevel", "", "log level (debug, info, warning, error); overrides the file's loglevel")
	fs.DurationVar(&o.idle.OnDemand, "clients-timeout", streams.DefaultOnDemandIdle,
		"how long an on-demand stream runs with no viewer")
	fs.DurationVar(&o.idle.Dynamic, "publish-timeout", streams.DefaultDynamicIdle,
		"how long a stream a template created for a publisher outlives the publisher")
	o.webrtc.register(fs)
	o.runtime.register(fs)
	err := fs.Parse(args)
	return o, err
}

// run is main without os.Exit, so tests can call it.
func run(args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return 2
	}
	if o.check {
		return check(o.config, stdout, stderr)
	}
	cfg, err := server.Load(o.config)
	if err != nil {
		_, _ = fmt.Fprintln(stderr, err) // nowhere else to report; the exit status tells
		return 1
	}
	level := new(slog.LevelVar)
	level.Set(logLevel(firstNonEmpty(o.loglevel, cfg.Loglevel)))
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	for _, n := range cfg.Inactive() {
		log.Warn("config: not acted on", "notice", n.String())
	}
	setGCPercent()      // runtime.go
	setMemoryLimit(log) // runtime.go
	if o.runtime.pprof != "" {
		if err := servePprof(o.runtime.pprof, log); err != nil {
			log.Error("streamhive stopped", "err", err)
			return 1
		}
	}
	if err := serve(o, cfg, log); err != nil {
		log.Error("streamhive stopped", "err", err)
		return 1
	}
	return 0
}

// check parses and validates path and prints every error as
// file:line:column, then a warning for each line accepted but not acted
// on (which leave the exit status 0).
func check(path string, stdout, stderr io.Writer) int {
	cfg, err := server.Load(path)
	if err != nil {
		_, _ = fmt.Fprintln(stderr, err) // nowhere else to report; the exit status tells
		return 1
	}
	for _, n := range cfg.Inactive() {
		_, _ = fmt.Fprintln(stderr, "warning: "+n.String())
	}
	// The exit status is the verdict; the line is for a person reading it.
	_, _ = fmt.Fprintf(stdout, "%s: configuration is valid\n", firstNonEmpty(path, "embedded default"))
	return 0
}

// serve runs the server on cfg, loaded from o.config, until SIGTERM or
// SIGINT; SIGHUP reloads the file.
func serve(o options, cfg *config.Server, log *slog.Logger) error {
	book := certs.BookFor(o.config)
	lns, err := listen(cfg, book)
	if err != nil {
		return err
	}
	trust, err := clusterTrust(cfg, book) // clustertls.go
	if err != nil {
		closeAll(lns)
		return err
	}
	var running atomic.Pointer[server.Server] // set once Start returns; inputs pull before
	clusterKey := func() string {
		if s := running.Load(); s != nil {
			return s.Config().ClusterKey
		}
		return cfg.ClusterKey
	}
	archives := dvrArchives(&running, clusterKey, clusterClient(trust), protectsM4F(&running, cfg)) // cluster.go
	defer archives.Close()
	srv, err := server.Start(server.Options{
		ConfigPath: o.config, Config: cfg, Logger: log, Pullers: pullers(m4fKeys(&running, cfg), trust, protectsM4F(&running, cfg)), Certs: book, Idle: o.idle,
		HTTPAddr: clusterAddr(cfg, lns), DVRCluster: archives.Archive, Host: hostLoad, // cluster.go
	})
	if err != nil {
		closeAll(lns)
		return err
	}
	rtc, err := newWebRTC(srv, o.webrtc, log) // whep.go
	if err != nil {
		_ = srv.Stop(context.Background())
		closeAll(lns)
		return err
	}
	running.Store(srv)
	here := local.Server{Server: srv}
	control, viewers, balance := locators(srv, here, log) // cluster.go
	// Every playback request goes through the server's viewer sessions (sessions.go).
	ph := play.New(playOptions(srv, play.Options{
		Streams: viewers, Balance: balance, Logger: log, WHIP: playWHIP{rtc.whip}, WHEP: playWHEP{rtc.whep},
		TSPublish: playTSPublish{srv.Publisher()}, // tspublish.go
	}))
	frames := newM4FHandler(srv, local.Viewers{Server: here}, log) // m4f.go
	// A protected stream's recording, like its frames, goes only to a
	// member that protects the stream too (drm.go).
	dvr := &peer.DVR{Key: clusterKey, Local: peer.Stores(srv.DVR), Protected: protectedM4F(srv)}
	gw := gateway.New(gateway.Config{
		Control: control, Logger: log, Play: withVOD(srv, log, ph.Serve), Peer: peerEndpoints(srv, log, frames, dvr),
		PeerStats: peerStats(srv), // cluster.go
	})
	// Signals are caught before the listeners answer: once the readiness
	// probe says yes, a SIGHUP reloads instead of killing the process
	// (Go's default for it).
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT)
	for _, ln := range lns {
		go func() {
			if err := ln.serve(gw); err != nil {
				log.Error(ln.scheme()+" listener failed", "addr", ln.Addr().String(), "err", err)
			}
		}()
	}
	announce(log, lns, cfg)
	for _, a := range srv.RTMPAddrs() {
		log.Info("rtmp publishing", "url", "rtmp://"+displayAddr(a)+"/live/NAME")
	}
	for _, a := range srv.RTMPSAddrs() {
		log.Info("rtmps publishing", "url", "rtmps://"+displayAddr(a)+"/live/NAME")
	}

	for sig := range sigs {
		if sig == syscall.SIGHUP {
			reload(srv, book, log)
			continue
		}
		log.Info("stopping", "signal", sig.String())
		go func() { // a second signal stops at once
			<-sigs
			log.Warn("second signal: exiting now")
			os.Exit(1)
		}()
		ph.Close()     // ends continuous MPEG-TS responses, so the HTTP server can stop
		frames.Close() // ends the m4f responses other nodes pull
		rtc.Close()    // ends WebRTC publishers' and viewers' sessions
		return shutdown(gw, srv)
	}
	return nil
}

// reload re-reads the config file and, whatever became of it, the TLS
// listeners' certificates: new connections get a renewed certificate,
// open ones keep theirs.
func reload(srv *server.Server, book *certs.Book, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Reload(ctx); err != nil {
		log.Error("reload rejected; the running configuration is unchanged", "err", err)
	} else {
		log.Info("configuration reloaded")
	}
	if err := book.Reload(); err != nil {
		log.Error("certificate reload failed; the certificates in use stay", "err", err)
	}
}

// shutdown closes the listeners first (no new work), then stops the actor
// tree, which flushes what its actors own.
func shutdown(gw *gateway.Server, srv *server.Server) error {
	ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
	defer cancel()
	return errors.Join(gw.Shutdown(ctx), srv.Stop(ctx))
}

func announce(log *slog.Logger, lns []httpPort, cfg *config.Server) {
	for _, ln := range lns {
		base := ln.scheme() + "://" + displayAddr(ln.Addr())
		log.Info("listening", "api", base+"/streamer/api/v3/streams", "metrics", base+"/metrics")
		for _, s := range cfg.Streams {
			log.Info("stream", "name", s.Name, "hls", base+"/"+s.Name+"/index.m3u8",
				"dash", base+"/"+s.Name+"/index.mpd", "preview", base+"/"+s.Name+"/preview.jpg")
		}
	}
}

// logLevel maps Flussonic's loglevel names onto slog's levels.
func logLevel(name string) slog.Level {
	switch name {
	case "debug":
		return slog.LevelDebug
	case "warning":
		return slog.LevelWarn
	case "error", "alert", "critical":
		return slog.LevelError
	case "none":
		return slog.LevelError + 100
	default: // info, notice, empty
		return slog.LevelInfo
	}
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// displayAddr turns a wildcard listen address into one a browser can open.
func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return a.String()
	}
	return net.JoinHostPort("127.0.0.1", fmt.Sprint(tcp.Port))
}
