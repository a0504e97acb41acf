package m4f

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"streamhive/media"
	wire "streamhive/media/m4f"
	"streamhive/protocols/mpegts/mpegtstest"
)

const (
	proofHeader = "X-Test-Proof"
	goodProof   = "proof-of-key"
)

var (
	video = media.Track{ID: 0, Codec: media.CodecH264, SPS: []byte{0x67, 1}, PPS: []byte{0x68, 1}, Width: 640, Height: 360}
	audio = media.Track{ID: 1, Codec: media.CodecAAC, AudioConfig: []byte{0x12, 0x10}, SampleRate: 44100, Channels: 2}
)

// owner serves stream "live/x" as an owner would: the proof checked,
// then the tracks and n frames, flushed each; the body then ends, or,
// with hold, waits for hold or the client to leave.
func owner(t *testing.T, n int, hold <-chan struct{}) *httptest.Server {
	t.Helper()
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(proofHeader) != goodProof {
			http.Error(w, "key", http.StatusForbidden)
			return
		}
		if r.URL.Path != wire.Path+"live/x" {
			http.NotFound(w, r)
			return
		}
		wr := wire.NewWriter(w, "live/x")
		if err := wr.WriteTracks([]media.Track{video, audio}); err != nil {
			return
		}
		for i := range n {
			f := &media.Frame{Track: i % 2, DTS: time.Hour + time.Duration(i)*20*time.Millisecond, Keyframe: i%20 == 0, Data: [][]byte{{1, 2, 3}}}
			f.PTS = f.DTS + 40*time.Millisecond
			if wr.WriteFrame(f) != nil {
				return
			}
			w.(http.Flusher).Flush()
		}
		if hold != nil {
			select {
			case <-hold:
			case <-r.Context().Done():
			}
		}
	}))
}

func proof(v string) func(string) (string, string) {
	return func(string) (string, string) { return proofHeader, v }
}

func urlOf(srv *httptest.Server, name string) string {
	return "m4f://" + strings.TrimPrefix(srv.URL, "http://") + "/" + name
}

func TestPullPublishesTheOwnersFrames(t *testing.T) {
	srv := owner(t, 100, nil)
	defer srv.Close()
	rec, stats := mpegtstest.NewRecorder(), &media.InputStats{}
	err := Puller{Proof: proof(goodProof)}.Pull(media.WithInputStats(context.Background(), stats), urlOf(srv, "live/x"), nil, rec.Publish)
	if !errors.Is(err, ErrEnded) {
		t.Fatalf("Pull returned %v, want ErrEnded", err)
	}
	tracks, frames, calls := rec.Snapshot()
	if calls != 1 || len(tracks) != 2 || tracks[0].Width != 640 || tracks[1].SampleRate != 44100 {
		t.Fatalf("published %d times: %+v", calls, tracks)
	}
	if len(frames) != 100 || stats.Frames.Load() != 100 || stats.Errors.Load() != 0 {
		t.Fatalf("%d frames, stats %d frames %d errors", len(frames), stats.Frames.Load(), stats.Errors.Load())
	}
	// The owner's timestamps, unchanged: the relay segments on its clock.
	if f := frames[3]; f.DTS != time.Hour+60*time.Millisecond || f.PTS != f.DTS+40*time.Millisecond || f.Track != 1 {
		t.Errorf("frame 3: %+v", f)
	}
	if stats.Bytes.Load() < 100*3 {
		t.Errorf("%d bytes counted", stats.Bytes.Load())
	}
}

func TestPullRefusals(t *testing.T) {
	srv := owner(t, 1, nil)
	defer srv.Close()
	for _, tc := range []struct {
		name, url string
		proof     func(string) (string, string)
		want      error
	}{
		{"wrong key", urlOf(srv, "live/x"), proof("forged"), ErrRefused},
		{"no key", urlOf(srv, "live/x"), nil, ErrRefused},
		{"no such stream", urlOf(srv, "other"), proof(goodProof), ErrNoStream},
		{"no name", urlOf(srv, ""), proof(goodProof), ErrBadURL},
		{"another scheme", "tshttp://127.0.0.1:1/x", proof(goodProof), ErrBadURL},
		{"a key in the URL", "m4f://user:secret@127.0.0.1:1/x", proof(goodProof), ErrBadURL},
	} {
		rec := mpegtstest.NewRecorder()
		err := Puller{Proof: tc.proof}.Pull(context.Background(), tc.url, nil, rec.Publish)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
		if _, _, calls := rec.Snapshot(); calls != 0 {
			t.Errorf("%s: published", tc.name)
		}
	}
}

// TestPullMalformed: garbage from the owner is counted and ends the pull
// with the framing's error, after what came before it.
func TestPullMalformed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		wr := wire.NewWriter(w, "x")
		_ = wr.WriteTracks([]media.Track{video})
		_ = wr.WriteFrame(&media.Frame{Track: 0, Keyframe: true, Data: [][]byte{{1}}})
		_ = wr.WriteFrame(&media.Frame{Track: 7, Data: [][]byte{{1}}}) // no such track
	}))
	defer srv.Close()
	rec, stats := mpegtstest.NewRecorder(), &media.InputStats{}
	err := Puller{}.Pull(media.WithInputStats(context.Background(), stats), urlOf(srv, "x"), nil, rec.Publish)
	if !errors.Is(err, wire.ErrMalformed) || stats.Errors.Load() != 1 || stats.Frames.Load() != 1 {
		t.Errorf("Pull returned %v; %d errors, %d frames", err, stats.Errors.Load(), stats.Frames.Load())
	}
}

func TestPullCancel(t *testing.T) {
	hold := make(chan struct{})
	defer close(hold)
	srv := owner(t, 10, hold)
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	rec := mpegtstest.NewRecorder()
	done := make(chan error, 1)
	go func() { done <- Puller{Proof: proof(goodProof)}.Pull(ctx, urlOf(srv, "live/x"), nil, rec.Publish) }()
	rec.WaitFor(t, 10*time.Second, done, "frames", mpegtstest.Frames(0, 5))
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Pull returned %v, want context.Canceled", err)
	}
}

func TestHTTPURL(t *testing.T) {
	for in, want := range map[string]string{
		"m4f://node-a:8081/live/bunny": "http://node-a:8081" + wire.Path + "live/bunny",
		"m4f://node-a/cam1":            "http://node-a" + wire.Path + "cam1",
		"M4FS://node-a/cam1":           "https://node-a" + wire.Path + "cam1",
	} {
		if got, err := httpURL(in); err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", in, got, err, want)
		}
	}
}

// TestPullSaysItProtects: a pull whose stream this node protects itself
// (Protects of the pull's "name" option) says so to the owner; any other
// pull says nothing, and an owner refusing it is ErrRefused.
func TestPullSaysItProtects(t *testing.T) {
	said := make(chan string, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		said <- r.Header.Get(wire.ProtectsHeader)
		http.Error(w, "protected", http.StatusForbidden)
	}))
	t.Cleanup(srv.Close)
	p := Puller{Protects: func(name string) bool { return name == "paid" }}
	for _, tc := range []struct {
		name string
		want string
	}{{"paid", wire.ProtectsValue}, {"open", ""}} {
		err := p.Pull(context.Background(), urlOf(srv, "live/x"), map[string]string{"name": tc.name}, nil)
		if !errors.Is(err, ErrRefused) {
			t.Errorf("%s: %v, want ErrRefused", tc.name, err)
		}
		if got := <-said; got != tc.want {
			t.Errorf("%s: %s %q, want %q", tc.name, wire.ProtectsHeader, got, tc.want)
		}
	}
	if err := (Puller{}).Pull(context.Background(), urlOf(srv, "live/x"), map[string]string{"name": "paid"}, nil); !errors.Is(err, ErrRefused) {
		t.Errorf("no Protects: %v", err)
	}
	if got := <-said; got != "" {
		t.Errorf("no Protects said %q", got)
	}
}
