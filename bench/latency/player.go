package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"streamhive/gateway/web"
)

// report is what the player page posts every 250 ms.
type report struct {
	CurrentTime   float64  `json:"currentTime"`
	Latency       float64  `json:"latency"`
	TargetLatency float64  `json:"targetLatency"`
	Rate          float64  `json:"rate"`       // the video's playbackRate
	Ahead         float64  `json:"ahead"`      // seconds buffered ahead of the playhead
	Stalls        int      `json:"stalls"`     // waits for data once playing
	StalledFor    float64  `json:"stalledFor"` // their seconds in all
	Error         string   `json:"error"`
	Log           []string `json:"log"`
}

// page serves the player page, hls.js, the reports and each server behind
// its prefix, on one loopback origin.
type page struct {
	base string
	srv  *http.Server
	mu   sync.Mutex
	last report
	seq  int
}

func servePage(dir string, servers []*server) (*page, error) {
	hlsJS := filepath.Join(dir, "node_modules/hls.js/dist/hls.min.js")
	if _, err := os.Stat(hlsJS); err != nil {
		return nil, fmt.Errorf("hls.js missing (npm ci in %s): %w", dir, err)
	}
	pg := &page{}
	mux := http.NewServeMux()
	mux.HandleFunc("/player.html", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, filepath.Join(dir, "player.html"))
	})
	mux.HandleFunc("/lib/hls.min.js", func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, hlsJS) })
	mux.HandleFunc("/report", pg.collect)
	for _, s := range servers {
		mux.Handle(s.prefix+"/", http.StripPrefix(s.prefix, traced(s.name, proxy(s))))
		if s.embed != "" { // the embed page's scripts, at the server's absolute path
			mux.Handle(web.AssetPrefix, traced(s.name, proxy(s)))
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	pg.base = "http://" + ln.Addr().String()
	pg.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = pg.srv.Serve(ln) }()
	return pg, nil
}

// proxy forwards to s unbuffered. Its cookies (MediaMTX's HLS session)
// lose Secure, SameSite=None and Partitioned, which a plain-HTTP origin
// would refuse, and are scoped to s's prefix.
func proxy(s *server) http.Handler {
	rp := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: "http", Host: s.http})
	rp.FlushInterval = -1
	rp.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) {
		if r.Context().Err() == nil { // not a request hls.js gave up on
			slog.Warn("proxy", "server", s.name, "url", r.URL.String(), "err", err)
		}
		w.WriteHeader(http.StatusBadGateway)
	}
	rp.ModifyResponse = func(resp *http.Response) error {
		cookies := resp.Header.Values("Set-Cookie")
		resp.Header.Del("Set-Cookie")
		for _, c := range cookies {
			nv, _, _ := strings.Cut(c, ";")
			resp.Header.Add("Set-Cookie", nv+"; Path="+s.prefix+"/; HttpOnly")
		}
		if loc := resp.Header.Get("Location"); strings.HasPrefix(loc, "/") {
			resp.Header.Set("Location", s.prefix+loc)
		}
		return nil
	}
	return rp
}

func (pg *page) collect(w http.ResponseWriter, r *http.Request) {
	var rep report
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&rep); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	pg.mu.Lock()
	pg.last, pg.seq = rep, pg.seq+1
	pg.mu.Unlock()
}

// latest returns the last report and its sequence number (0: none yet).
func (pg *page) latest() (report, int) {
	pg.mu.Lock()
	defer pg.mu.Unlock()
	return pg.last, pg.seq
}

func (pg *page) reset() {
	pg.mu.Lock()
	pg.last, pg.seq = report{}, 0
	pg.mu.Unlock()
}

func (pg *page) close() { _ = pg.srv.Close() }

// result is one player's samples of hls.js's latency.
type result struct {
	server     string
	lat        []float64 // sorted
	target     float64   // hls.js's targetLatency at the end
	firstFrame time.Duration
	stalls     int     // waits for data once playing
	stalledFor float64 // their seconds in all
}

func (r result) median() float64 { return r.lat[len(r.lat)/2] }
func (r result) min() float64    { return r.lat[0] }
func (r result) max() float64    { return r.lat[len(r.lat)-1] }

// playerURL is the page that plays s's LL-HLS: StreamHive's through its
// own embed page (the hls.js config its viewers get), MediaMTX's in
// hls.js as MediaMTX's own page configures it (lowLatencyMode,
// maxLiveSyncPlaybackRate o.sync).
func (s *server) playerURL(base string, o options) string {
	if s.embed != "" {
		return base + "/player.html?kind=embed&src=" + url.QueryEscape(s.prefix+s.embed)
	}
	u := fmt.Sprintf("%s/player.html?kind=hls&ll=1&sync=%g&src=%s", base, o.sync, url.QueryEscape(s.prefix+s.llPath))
	if os.Getenv("LATENCY_DEBUG") != "" {
		u += "&debug=1"
	}
	return u
}

// play opens s's LL-HLS in a fresh headless Chromium and takes hls.js's
// latency at each report over o.window from the first frame.
func play(ctx context.Context, o options, dir string, pg *page, s *server) (result, error) {
	pg.reset()
	stop, err := chromium(ctx, dir, s.playerURL(pg.base, o))
	if err != nil {
		return result{}, err
	}
	defer stop()
	res := result{server: s.name}
	opened := time.Now()
	var playing time.Time
	seen := 0
	for deadline := opened.Add(30 * time.Second); playing.IsZero() || time.Since(playing) < o.window; time.Sleep(50 * time.Millisecond) {
		rep, seq := pg.latest()
		if rep.Error != "" {
			return res, fmt.Errorf("player: %s (log: %q)", rep.Error, rep.Log)
		}
		if playing.IsZero() && rep.CurrentTime > 0 {
			playing, res.firstFrame = time.Now(), time.Since(opened)
		}
		if playing.IsZero() && time.Now().After(deadline) {
			return res, fmt.Errorf("no playback in 30 s")
		}
		if seq != seen && seq%8 == 0 {
			slog.Debug("report", "server", s.name, "stalls", rep.Stalls, "t", rep.CurrentTime, "latency", rep.Latency, "target", rep.TargetLatency, "rate", rep.Rate, "ahead", rep.Ahead)
		}
		if seq != seen && !playing.IsZero() && rep.Latency > 0 {
			res.lat, res.target, seen = append(res.lat, rep.Latency), rep.TargetLatency, seq
			res.stalls, res.stalledFor = rep.Stalls, rep.StalledFor
		}
	}
	if rep, _ := pg.latest(); len(rep.Log) > 0 { // the embed page's seeks and stalls
		slog.Debug("player events", "server", s.name, "log", rep.Log)
	}
	if len(res.lat) == 0 {
		return res, fmt.Errorf("hls.js reported no latency")
	}
	slices.Sort(res.lat)
	return res, nil
}

// chromium starts headless Chromium on pageURL with a profile of its own
// and returns what stops it.
func chromium(ctx context.Context, dir, pageURL string) (func(), error) {
	profile, err := os.MkdirTemp(dir, "chromium-")
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, "chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update",
		"--disable-sync", "--autoplay-policy=no-user-gesture-required", "--user-data-dir="+profile, pageURL)
	if os.Getenv("LATENCY_DEBUG") != "" { // the page's console (hls.js's log with debug=1) in the run's directory
		cmd.Args = append(cmd.Args[:len(cmd.Args)-1], "--enable-logging=stderr", "--v=0", pageURL)
		if cmd.Stderr, err = os.Create(profile + ".log"); err != nil {
			return nil, err
		}
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }, nil
}

// traced logs each request at Debug level with how long it took.
func traced(name string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		h.ServeHTTP(w, r)
		slog.Debug("request", "server", name, "url", r.URL.String(), "took", time.Since(start).Round(time.Millisecond))
	})
}
