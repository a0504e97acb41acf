package tshttp

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/protocols/mpegts"
	"streamhive/protocols/mpegts/mpegtstest"
)

// serveTS answers every request with clip, paced to play in about
// duration (real time), in 1316-byte writes flushed as they go.
func serveTS(clip []byte, duration time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "video/mp2t")
		const chunk = 7 * 188
		n := (len(clip) + chunk - 1) / chunk
		tick := time.NewTicker(duration / time.Duration(n))
		defer tick.Stop()
		for i := 0; i < len(clip); i += chunk {
			if _, err := w.Write(clip[i:min(len(clip), i+chunk)]); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-tick.C:
			}
		}
	}
}

type result struct {
	rec   *mpegtstest.Recorder
	stats *media.InputStats
	err   error
}

func pull(ctx context.Context, p Puller, url string, options map[string]string) result {
	r := result{rec: mpegtstest.NewRecorder(), stats: &media.InputStats{}}
	r.err = p.Pull(media.WithInputStats(ctx, r.stats), url, options, r.rec.Publish)
	return r
}

// TestPullRealTime plays an ffmpeg clip served in real time to its end:
// every frame arrives, and the body's end fails the input.
func TestPullRealTime(t *testing.T) {
	srv := httptest.NewServer(serveTS(mpegtstest.H264AAC(t, "2"), 2*time.Second))
	defer srv.Close()
	url := "tshttp://" + strings.TrimPrefix(srv.URL, "http://") + "/live/mpegts"
	start := time.Now()
	r := pull(context.Background(), Puller{}, url, nil)
	if !errors.Is(r.err, io.ErrUnexpectedEOF) {
		t.Fatalf("Pull returned %v, want the body's end (io.ErrUnexpectedEOF)", r.err)
	}
	if took := time.Since(start); took < 1500*time.Millisecond {
		t.Errorf("2 s of real-time media took %v", took)
	}
	tracks, frames, _ := r.rec.Snapshot()
	if len(tracks) != 2 || tracks[0].Codec != media.CodecH264 || tracks[1].Codec != media.CodecAAC {
		t.Fatalf("tracks %+v", tracks)
	}
	if n, keys := r.rec.Count(0); n != 50 || keys != 2 {
		t.Errorf("video %d frames %d keyframes, want 50, 2", n, keys)
	}
	mpegtstest.CheckMonotonic(t, frames)
	if got := r.stats.Frames.Load(); got != uint64(len(frames)) {
		t.Errorf("stats count %d frames, sink got %d", got, len(frames))
	}
	if r.stats.Bytes.Load() != uint64(len(mpegtstest.H264AAC(t, "2"))) || r.stats.TS.CCErrors.Load() != 0 {
		t.Errorf("%d bytes, %d CC errors", r.stats.Bytes.Load(), r.stats.TS.CCErrors.Load())
	}
}

func TestPullTLSProgramAndUserAgent(t *testing.T) {
	var ua string
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ua = r.UserAgent()
		_, _ = w.Write(mpegtstest.MPTS(t))
	}))
	defer srv.Close()
	url := "tshttps://" + strings.TrimPrefix(srv.URL, "https://") + "/"
	r := pull(context.Background(), Puller{Client: srv.Client()}, url, map[string]string{"program": "2", "user_agent": "probe/1"})
	if !errors.Is(r.err, io.ErrUnexpectedEOF) {
		t.Fatalf("Pull returned %v", r.err)
	}
	tracks, _, _ := r.rec.Snapshot()
	if len(tracks) != 1 || tracks[0].Width != 160 || ua != "probe/1" {
		t.Errorf("tracks %+v, user agent %q", tracks, ua)
	}
}

func TestPullCancel(t *testing.T) {
	srv := httptest.NewServer(serveTS(mpegtstest.H264AAC(t, "2"), 2*time.Second))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	rec := mpegtstest.NewRecorder()
	done := make(chan error, 1)
	go func() { done <- (Puller{}).Pull(ctx, srv.URL, nil, rec.Publish) }()
	rec.WaitFor(t, 10*time.Second, done, "video", mpegtstest.Frames(0, 5))
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Pull returned %v, want context.Canceled", err)
	}
}

func TestPullFailures(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/junk", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(strings.Repeat("<html>not a transport stream</html>", 1000)))
	})
	mux.HandleFunc("/empty", func(http.ResponseWriter, *http.Request) {})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	for _, tc := range []struct {
		url  string
		want error
	}{
		{"tshttp://" + host + "/missing", ErrStatus},
		{"tshttp://" + host + "/junk", mpegts.ErrNoPAT},
		{"tshttp://" + host + "/empty", mpegts.ErrNoPAT},
		{"rtmp://" + host + "/x", ErrBadURL},
		{"tshttp://" + host + "/x", nil}, // program option below
	} {
		opts := map[string]string{}
		if tc.want == nil {
			opts["program"] = "x"
			tc.want = mpegts.ErrBadOptions
		}
		r := pull(context.Background(), Puller{}, tc.url, opts)
		if !errors.Is(r.err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.url, r.err, tc.want)
		}
		if _, _, calls := r.rec.Snapshot(); calls != 0 {
			t.Errorf("%s: published", tc.url)
		}
	}
}
