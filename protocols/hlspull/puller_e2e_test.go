//go:build e2e

package hlspull

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/protocols/mpegts/mpegtstest"
)

// TestPullLive follows a live playlist of 4 one-second segments, MPEG-TS
// and fMP4, from three segments out to the end: every frame arrives in
// order at real-time pace, and the playlist that then stops moving fails
// the input after three target durations.
func TestPullLive(t *testing.T) {
	for _, tc := range []struct {
		name string
		fmp4 bool
	}{{"ts", false}, {"fmp4", true}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := ffmpegHLS(t, 4, tc.fmp4)
			srv := httptest.NewServer(newOrigin(v))
			defer srv.Close()
			r := pull(context.Background(), Puller{}, hlsURL(srv, "/live/index.m3u8"), nil)
			if !errors.Is(r.err, ErrStalled) {
				t.Fatalf("Pull returned %v, want ErrStalled", r.err)
			}
			// 4 s of media at real-time pace; the last segment came out at
			// 1 s, so the stall fails the pull at about 4 s too.
			if r.took < 3500*time.Millisecond {
				t.Errorf("took %v, want real-time pace", r.took)
			}
			tracks, frames, _ := r.rec.Snapshot()
			if len(tracks) != 2 || tracks[0].Codec != media.CodecH264 || tracks[1].Codec != media.CodecAAC ||
				tracks[0].Width != 320 || tracks[1].SampleRate != 48000 {
				t.Fatalf("tracks %+v", tracks)
			}
			if n, keys := r.rec.Count(0); n != 100 || keys != 4 {
				t.Errorf("video %d frames %d keyframes, want 100, 4", n, keys)
			}
			if n, _ := r.rec.Count(1); n < 180 {
				t.Errorf("%d audio frames, want 4 s of AAC at 48 kHz (187)", n)
			}
			mpegtstest.CheckMonotonic(t, frames)
			if got := r.stats.Frames.Load(); got != uint64(len(frames)) {
				t.Errorf("stats count %d frames, sink got %d", got, len(frames))
			}
			if r.stats.Bytes.Load() < 50_000 || r.stats.Errors.Load() != 0 || r.stats.TS.CCErrors.Load() != 0 {
				t.Errorf("%d bytes, %d errors, %d CC errors", r.stats.Bytes.Load(), r.stats.Errors.Load(), r.stats.TS.CCErrors.Load())
			}
		})
	}
}

// TestPullMasterPicksVariant: a master playlist leads to its highest
// bandwidth variant, or the one the variant option names.
func TestPullMasterPicksVariant(t *testing.T) {
	t.Parallel()
	v := ffmpegHLS(t, 2, false)
	o := newOrigin(v)
	mux := http.NewServeMux()
	mux.HandleFunc("/master.m3u8", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("#EXTM3U\n" +
			"#EXT-X-STREAM-INF:BANDWIDTH=800000,CODECS=\"avc1.42c00d,mp4a.40.2\"\nlow/index.m3u8\n" +
			"#EXT-X-STREAM-INF:BANDWIDTH=2500000,RESOLUTION=320x180\nhigh/index.m3u8\n" +
			"#EXT-X-STREAM-INF:BANDWIDTH=1200000\nmid/index.m3u8\n"))
	})
	mux.Handle("/", o)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	for _, tc := range []struct {
		options map[string]string
		want    string
	}{{nil, "/high/index.m3u8"}, {map[string]string{"variant": "2"}, "/mid/index.m3u8"}} {
		ctx, cancel := context.WithCancel(context.Background())
		rec := mpegtstest.NewRecorder()
		done := make(chan error, 1)
		go func() { done <- (Puller{}).Pull(ctx, hlsURL(srv, "/master.m3u8"), tc.options, rec.Publish) }()
		rec.WaitFor(t, 10*time.Second, done, "video", mpegtstest.Frames(0, 1))
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Pull returned %v, want context.Canceled", err)
		}
		o.mu.Lock()
		got := o.requests[len(o.requests)-1]
		o.requests = nil
		o.mu.Unlock()
		if !strings.HasPrefix(got, strings.TrimSuffix(tc.want, "index.m3u8")) {
			t.Errorf("options %v: last request %s, want under %s", tc.options, got, tc.want)
		}
	}
	r := pull(context.Background(), Puller{}, hlsURL(srv, "/master.m3u8"), map[string]string{"variant": "3"})
	if !errors.Is(r.err, ErrBadOptions) {
		t.Errorf("variant=3 of 3: %v, want ErrBadOptions", r.err)
	}
}

// TestPullFailures: what fails an input, and how fast. None of it panics
// or hangs; a fresh pull recovers once the origin is good again.
func TestPullFailures(t *testing.T) {
	t.Parallel()
	v := ffmpegHLS(t, 2, false)
	o := newOrigin(v)
	srv := httptest.NewServer(o)
	defer srv.Close()
	url := hlsURL(srv, "/live/index.m3u8")
	for _, tc := range []struct {
		name string
		mode originMode
		url  string
		opts map[string]string
		want error
	}{
		{"404", mode404, url, nil, ErrStatus},
		{"garbage", modeGarbage, url, nil, ErrPlaylist},
		{"scheme", modeLive, "rtmp://x/y", nil, ErrBadURL},
		{"variant", modeLive, url, map[string]string{"variant": "x"}, ErrBadOptions},
		{"frozen", modeFrozen, url, nil, ErrStalled},
	} {
		o.setMode(tc.mode)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		r := pull(ctx, Puller{}, tc.url, tc.opts)
		cancel()
		if !errors.Is(r.err, tc.want) {
			t.Errorf("%s: Pull returned %v, want %v", tc.name, r.err, tc.want)
		}
	}
	// The origin is good again: a new pull (the supervisor's restart) plays.
	o.setMode(modeLive)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rec := mpegtstest.NewRecorder()
	done := make(chan error, 1)
	go func() { done <- (Puller{}).Pull(ctx, url, nil, rec.Publish) }()
	rec.WaitFor(t, 10*time.Second, done, "video", mpegtstest.Frames(0, 10))
	cancel()
	<-done
}
