package fake

import (
	"context"
	"errors"
	"sync"
	"testing"

	"streamhive/media"
)

type recorder struct {
	mu     sync.Mutex
	tracks []media.Track
	frames []*media.Frame
}

func (r *recorder) WriteFrame(f *media.Frame) {
	r.mu.Lock()
	r.frames = append(r.frames, f)
	r.mu.Unlock()
}

func (r *recorder) publish(tracks []media.Track) (media.Sink, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.tracks != nil {
		return nil, errors.New("published twice")
	}
	r.tracks = tracks
	return r, nil
}

func TestPullBadURL(t *testing.T) {
	for _, u := range []string{"rtmp://x", "fake://?size=big", "fake://?size=641x360", "fake://?fps=0", "fake://?tone=x"} {
		err := Puller{}.Pull(context.Background(), u, nil, func([]media.Track) (media.Sink, error) {
			t.Fatal("published for a bad URL")
			return nil, nil
		})
		if !errors.Is(err, ErrBadURL) {
			t.Errorf("%s: err = %v, want ErrBadURL", u, err)
		}
	}
}

func TestParseURL(t *testing.T) {
	o, err := parseURL("fake://cam?size=320x180&fps=30&gop=60&tone=0&bitrate=500000")
	if err != nil {
		t.Fatal(err)
	}
	want := options{width: 320, height: 180, fps: 30, gop: 60, bitrate: 500000, tone: 0, name: "cam"}
	if o != want {
		t.Errorf("got %+v, want %+v", o, want)
	}
	if o, _ := parseURL("fake://?name=x%27y"); sanitize(o.name) != "x?y" {
		t.Errorf("name %q sanitized to %q", o.name, sanitize(o.name))
	}
}
