package rtmp

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/media/hub"
	"streamhive/media/mediatest"
)

// playHooks serve the viewers of one stream from a hub and record what
// each Play was asked.
type playHooks struct {
	*testHooks
	stream media.StreamName // the only stream: resolves and plays
	hub    *hub.Hub
	refuse error // every Play fails with it when set

	mu     sync.Mutex
	asked  []media.StreamName
	keys   []string
	closed int
	ended  chan struct{} // Viewing.Ended of every viewer
}

func (h *playHooks) Resolve(names []media.StreamName) media.StreamName {
	if slices.Contains(names, h.stream) {
		return h.stream
	}
	return names[len(names)-1]
}

func (h *playHooks) Play(ctx context.Context, name media.StreamName) (*Viewing, error) {
	info, _ := PublishInfoFrom(ctx)
	h.mu.Lock()
	h.asked, h.keys = append(h.asked, name), append(h.keys, info.Key)
	h.mu.Unlock()
	if h.refuse != nil {
		return nil, h.refuse
	}
	if name != h.stream {
		return nil, errNoSuchStream
	}
	c := h.hub.Subscribe()
	return &Viewing{Source: c, Sent: func(int) {}, Ended: h.ended, Close: func() {
		c.Close()
		h.mu.Lock()
		h.closed++
		h.mu.Unlock()
	}}, nil
}

func (h *playHooks) closedCount() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.closed
}

// newPlayHooks serve stream name: the test clip, written into a hub
// twice a second until the test ends.
func newPlayHooks(t *testing.T, name media.StreamName) *playHooks {
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
	return &playHooks{testHooks: newTestHooks(), stream: name, hub: h, ended: make(chan struct{})}
}

// pull plays url with our Puller until it has a publication with frames
// or fails; it returns the tracks it got, or the error.
func pull(t *testing.T, url string) ([]media.Track, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	rec := &recorder{}
	got := make(chan struct{})
	var once sync.Once
	err := (&Puller{}).Pull(ctx, url, nil, func(tracks []media.Track) (media.Sink, error) {
		rec.tracks = tracks
		return sinkFunc(func(f *media.Frame) {
			rec.WriteFrame(f)
			if _, frames := rec.snapshot(); len(frames) > 20 {
				once.Do(func() { close(got); cancel() })
			}
		}), nil
	})
	select {
	case <-got:
		tracks, _ := rec.snapshot()
		return tracks, nil
	default:
		return nil, err
	}
}

type sinkFunc func(*media.Frame)

func (f sinkFunc) WriteFrame(fr *media.Frame) { f(fr) }

// TestPlayServesFlussonicURLs: rtmp://HOST/static/NAME and
// rtmp://HOST/NAME (app and key both the name) play stream NAME; the
// viewer gets its H.264 and AAC tracks; a viewer leaving releases it.
func TestPlayServesFlussonicURLs(t *testing.T) {
	hooks := newPlayHooks(t, "cam")
	addr, _ := startServer(t, hooks)
	for _, path := range []string{"/static/cam", "/live/cam", "/cam/cam", "/static/cam?token=T"} {
		tracks, err := pull(t, "rtmp://"+addr+path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(tracks) != 2 || tracks[0].Codec != media.CodecH264 || tracks[1].Codec != media.CodecAAC {
			t.Errorf("%s: tracks %+v, want H.264 and AAC", path, tracks)
		}
	}
	mediatest.WaitFor(t, 10*time.Second, "each viewer that left to be closed", func() bool { return hooks.closedCount() == 4 })
	hooks.mu.Lock()
	defer hooks.mu.Unlock()
	for _, n := range hooks.asked {
		if n != "cam" {
			t.Errorf("Play asked for %q, want cam", n)
		}
	}
	if hooks.keys[3] != "cam?token=T" {
		t.Errorf("Play saw key %q, want the query with it", hooks.keys[3])
	}
}

// TestPlayRefused: a Play error answers NetStream.Play.Failed; the client
// gives up.
func TestPlayRefused(t *testing.T) {
	hooks := newPlayHooks(t, "cam")
	hooks.refuse = errors.New("denied")
	addr, _ := startServer(t, hooks)
	if _, err := pull(t, "rtmp://"+addr+"/static/cam"); !errors.Is(err, ErrRejected) {
		t.Errorf("pull = %v, want ErrRejected", err)
	}
	hooks.refuse = nil
	if _, err := pull(t, "rtmp://"+addr+"/static/other"); !errors.Is(err, ErrRejected) {
		t.Errorf("pull of an unknown stream = %v, want ErrRejected", err)
	}
}

// TestPlayWithoutPlayerIsRefused: a server whose Hooks take publishers
// only refuses players.
func TestPlayWithoutPlayerIsRefused(t *testing.T) {
	addr, _ := startServer(t, newTestHooks("cam"))
	if _, err := pull(t, "rtmp://"+addr+"/static/cam"); !errors.Is(err, ErrRejected) {
		t.Errorf("pull = %v, want ErrRejected", err)
	}
}

// TestPlayEndsWhenTheSessionEnds: closing Viewing.Ended (a kick) closes
// the viewer's connection and releases its Viewing.
func TestPlayEndsWhenTheSessionEnds(t *testing.T) {
	hooks := newPlayHooks(t, "cam")
	addr, _ := startServer(t, hooks)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- (&Puller{}).Pull(ctx, "rtmp://"+addr+"/static/cam", nil, func([]media.Track) (media.Sink, error) {
			return sinkFunc(func(*media.Frame) {}), nil
		})
	}()
	mediatest.WaitFor(t, 10*time.Second, "the viewer to play", func() bool {
		hooks.mu.Lock()
		defer hooks.mu.Unlock()
		return len(hooks.asked) == 1
	})
	close(hooks.ended)
	select {
	case err := <-done:
		if ctx.Err() != nil {
			t.Fatalf("pull ended by its own deadline: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the kicked viewer's connection stayed open")
	}
	mediatest.WaitFor(t, 10*time.Second, "the viewer to be closed", func() bool { return hooks.closedCount() == 1 })
}
