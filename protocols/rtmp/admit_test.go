package rtmp

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/media/hub"
)

// refusingHooks refuse every publisher at the publish command and record
// what Admit saw.
type refusingHooks struct {
	*testHooks
	key       atomic.Value // the PublishInfo.Key Admit was given
	published atomic.Bool
}

var errDenied = errors.New("publishing is not allowed")

func (h *refusingHooks) Admit(ctx context.Context, _ media.StreamName) error {
	if info, ok := PublishInfoFrom(ctx); ok {
		h.key.Store(info.Key)
	}
	return errDenied
}

func (h *refusingHooks) Publish(ctx context.Context, name media.StreamName, tracks []media.Track) (media.Sink, func(), error) {
	h.published.Store(true)
	return h.testHooks.Publish(ctx, name, tracks)
}

// TestAdmitterRefusesAtPublish: Hooks that implement Admitter refuse a
// publisher at its publish command, before any media: the client's push
// fails, Publish never runs, and Admit saw the key with its query (the
// credentials).
func TestAdmitterRefusesAtPublish(t *testing.T) {
	h := hub.New(hub.Options{})
	h.SetTracks([]media.Track{{ID: 0, Codec: media.CodecAAC, SampleRate: 48000, Channels: 2, AudioConfig: []byte{0x11, 0x90}}})
	w := h.NewWriter()
	src := h.Subscribe()
	t.Cleanup(src.Close)
	t.Cleanup(h.Close)
	w.WriteFrame(&media.Frame{Track: 0, Keyframe: true, Data: [][]byte{{0x21, 0x10}}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hooks := &refusingHooks{testHooks: newTestHooks("key")}
	srv := &Server{Hooks: hooks}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(srv.Close)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var sent atomic.Uint64
	err = (&Pusher{}).Push(ctx, "rtmp://"+ln.Addr().String()+"/live/key?password=nope", nil, src, &sent)
	if err == nil || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("push = %v, want the server's refusal", err)
	}
	if k, _ := hooks.key.Load().(string); !strings.Contains(k, "password=nope") {
		t.Errorf("Admit saw key %q, want the query with it", k)
	}
	if hooks.published.Load() {
		t.Errorf("Publish ran for a refused publisher")
	}
}
