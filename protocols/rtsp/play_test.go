package rtsp

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/gortsplib/v4/pkg/liberrors"
	"github.com/pion/rtp"

	"streamhive/media"
	"streamhive/media/hub"
	"streamhive/media/mediatest"
)

// playHooks serve stream "cam" (the test clip, written into a hub
// until the test ends) to readers whose query is not "deny", and count
// the viewings and the subscriptions.
type playHooks struct {
	fakeHooks
	hub *hub.Hub

	mu       sync.Mutex
	infos    []PublishInfo
	open     int // viewings not closed
	frames   int // Frames calls
	released int // Frames releases
	ended    chan struct{}
}

func (h *playHooks) Play(ctx context.Context, name media.StreamName) (*Viewing, error) {
	info, _ := PublishInfoFrom(ctx)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.infos = append(h.infos, info)
	switch {
	case name != "cam":
		return nil, ErrNotFound
	case info.Query == "deny":
		return nil, errors.New("denied")
	}
	h.open++
	var once sync.Once
	return &Viewing{Sent: func(int) {}, Ended: h.ended, Close: func() {
		once.Do(func() { h.mu.Lock(); h.open--; h.mu.Unlock() })
	}}, nil
}

func (h *playHooks) Frames(context.Context, media.StreamName) (Source, func(), error) {
	c := h.hub.Subscribe()
	h.mu.Lock()
	h.frames++
	h.mu.Unlock()
	return c, func() { c.Close(); h.mu.Lock(); h.released++; h.mu.Unlock() }, nil
}

func (h *playHooks) counts() (open, frames, released int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.open, h.frames, h.released
}

func newPlayHooks(t *testing.T) *playHooks {
	t.Helper()
	clip, err := mediatest.LoadClip()
	if err != nil {
		t.Fatal(err)
	}
	h := hub.New(hub.Options{})
	h.SetTracks(clip.Tracks)
	w := h.NewWriter()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, f := range clip.Loop(2 * time.Minute) {
			if ctx.Err() != nil {
				return
			}
			w.WriteFrame(f)
			time.Sleep(2 * time.Millisecond)
		}
	}()
	t.Cleanup(func() { cancel(); <-done; h.Close() })
	return &playHooks{hub: h, ended: make(chan struct{})}
}

// testReader is a gortsplib client playing url over transport; it counts the
// RTP packets it gets.
type testReader struct {
	c       *gortsplib.Client
	desc    *description.Session
	packets atomic.Int64
}

func play(t *testing.T, url string, transport gortsplib.Transport) (*testReader, error) {
	t.Helper()
	r := &testReader{c: &gortsplib.Client{Transport: &transport, ReadTimeout: 5 * time.Second, WriteTimeout: 5 * time.Second}}
	u, err := base.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	r.c.Scheme, r.c.Host = u.Scheme, u.Host
	if err := r.c.Start2(); err != nil {
		return nil, err
	}
	desc, _, err := r.c.Describe(u)
	if err != nil {
		r.c.Close()
		return nil, err
	}
	r.desc = desc
	if err := r.c.SetupAll(desc.BaseURL, desc.Medias); err != nil {
		r.c.Close()
		return nil, err
	}
	r.c.OnPacketRTPAny(func(*description.Media, format.Format, *rtp.Packet) { r.packets.Add(1) })
	if _, err := r.c.Play(nil); err != nil {
		r.c.Close()
		return nil, err
	}
	return r, nil
}

func statusOf(err error) base.StatusCode {
	var bad liberrors.ErrClientBadStatusCode
	if errors.As(err, &bad) {
		return bad.Code
	}
	return 0
}

// TestPlayReaders: two readers of rtsp://HOST/cam (TCP and UDP) get its
// H.264 and AAC over RTP from one subscription; when both have left the
// subscription ends.
func TestPlayReaders(t *testing.T) {
	hooks := newPlayHooks(t)
	addr := startServer(t, hooks, &mediatest.LogBuffer{})
	var readers []*testReader
	for _, tr := range []gortsplib.Transport{gortsplib.TransportTCP, gortsplib.TransportUDP} {
		r, err := play(t, "rtsp://"+addr+"/cam?token=T", tr)
		if err != nil {
			t.Fatalf("play over %v: %v", tr, err)
		}
		defer r.c.Close()
		if len(r.desc.Medias) != 2 || r.desc.Medias[0].Formats[0].Codec() != "H264" || r.desc.Medias[1].Formats[0].Codec() != "MPEG-4 Audio" {
			t.Errorf("over %v: medias %v, want H.264 and AAC", tr, r.desc.Medias)
		}
		readers = append(readers, r)
	}
	mediatest.WaitFor(t, 10*time.Second, "both readers to get packets", func() bool {
		return readers[0].packets.Load() > 50 && readers[1].packets.Load() > 50
	})
	if open, frames, _ := hooks.counts(); open != 2 || frames != 1 {
		t.Errorf("%d viewings open and %d subscriptions, want 2 and 1", open, frames)
	}
	hooks.mu.Lock()
	if q := hooks.infos[0].Query; q != "token=T" {
		t.Errorf("Play saw query %q, want token=T", q)
	}
	hooks.mu.Unlock()
	readers[0].c.Close()
	mediatest.WaitFor(t, 10*time.Second, "the first reader to be closed", func() bool {
		open, _, released := hooks.counts()
		return open == 1 && released == 0
	})
	readers[1].c.Close()
	mediatest.WaitFor(t, 10*time.Second, "the subscription to end with the last reader", func() bool {
		open, _, released := hooks.counts()
		return open == 0 && released == 1
	})
}

// TestPlayRefusals: an unknown stream is answered 404, a refused reader
// 403; neither subscribes.
func TestPlayRefusals(t *testing.T) {
	hooks := newPlayHooks(t)
	addr := startServer(t, hooks, &mediatest.LogBuffer{})
	for url, want := range map[string]base.StatusCode{
		"rtsp://" + addr + "/other":      base.StatusNotFound,
		"rtsp://" + addr + "/cam?deny":   base.StatusForbidden,
		"rtsp://" + addr + "/static/cam": base.StatusNotFound,
	} {
		_, err := play(t, url, gortsplib.TransportTCP)
		if got := statusOf(err); got != want {
			t.Errorf("%s: %v (status %d), want %d", url, err, got, want)
		}
	}
	if _, frames, _ := hooks.counts(); frames != 0 {
		t.Errorf("refused readers subscribed %d times", frames)
	}
}

// TestPlayWithoutPlayer: a server whose Hooks take publishers only
// answers readers 404.
func TestPlayWithoutPlayer(t *testing.T) {
	addr := startServer(t, &fakeHooks{}, &mediatest.LogBuffer{})
	if _, err := play(t, "rtsp://"+addr+"/cam", gortsplib.TransportTCP); statusOf(err) != base.StatusNotFound {
		t.Errorf("play = %v, want 404", err)
	}
}

// TestPlayKick: closing Viewing.Ended (a kick) closes the reader's session.
func TestPlayKick(t *testing.T) {
	hooks := newPlayHooks(t)
	addr := startServer(t, hooks, &mediatest.LogBuffer{})
	r, err := play(t, "rtsp://"+addr+"/cam", gortsplib.TransportTCP)
	if err != nil {
		t.Fatal(err)
	}
	defer r.c.Close()
	close(hooks.ended)
	done := make(chan error, 1)
	go func() { done <- r.c.Wait() }()
	select {
	case err := <-done:
		t.Logf("reader ended: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("the kicked reader still plays")
	}
	mediatest.WaitFor(t, 10*time.Second, "the kicked reader to be closed", func() bool {
		open, _, released := hooks.counts()
		return open == 0 && released == 1
	})
}
