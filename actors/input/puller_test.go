package input

import (
	"context"
	"errors"
	"testing"

	"streamhive/media"
	"streamhive/supervision"
)

type namedPuller string

func (namedPuller) Pull(context.Context, string, map[string]string, func([]media.Track) (media.Sink, error)) error {
	return nil
}

func TestPullersFor(t *testing.T) {
	p := Builtin().With(Pullers{"rtmp": namedPuller("rtmp")})
	tests := []struct {
		url     string
		want    Puller
		wantErr string
	}{
		{"rtmp://cam/live", namedPuller("rtmp"), ""},
		{"publish://", WaitForPublisher{}, ""},
		{"fake://", nil, "input fake:// not supported yet"},
		{"srt://host:9000?streamid=x", nil, "input srt:// not supported yet"},
		{"nonsense", nil, `input "nonsense": no scheme: not supported yet`},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			got, err := p.For(tt.url)
			if tt.wantErr == "" {
				if err != nil || got != tt.want {
					t.Errorf("For(%q) = %v, %v; want %v", tt.url, got, err, tt.want)
				}
				return
			}
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("For(%q) error = %v, want %q", tt.url, err, tt.wantErr)
			}
			if !supervision.IsPermanent(err) || !errors.Is(err, ErrUnsupported) {
				t.Errorf("For(%q) error %v is not a permanent ErrUnsupported", tt.url, err)
			}
		})
	}
}

func TestPullersWith(t *testing.T) {
	base := Builtin()
	over := base.With(Pullers{"publish": namedPuller("mine")})
	if _, ok := base["publish"].(WaitForPublisher); !ok {
		t.Errorf("With modified its receiver")
	}
	if over["publish"] != namedPuller("mine") {
		t.Errorf("With: the added puller does not win")
	}
	if got := Pullers(nil).With(nil); got == nil {
		t.Errorf("nil.With(nil) = nil, want an empty registry")
	}
}

func TestClassify(t *testing.T) {
	errRefused := errors.New("refused")
	tests := []struct {
		name      string
		err       error
		permanent bool
		is        error
	}{
		{"source ended", nil, false, ErrSourceEnded},
		{"plain", errRefused, false, errRefused},
		{"unsupported codec", media.ErrUnsupportedCodec, true, media.ErrUnsupportedCodec},
		{"already permanent", &supervision.Permanent{Err: media.ErrUnsupportedCodec}, true, media.ErrUnsupportedCodec},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := classify(tt.err)
			if supervision.IsPermanent(got) != tt.permanent || !errors.Is(got, tt.is) {
				t.Errorf("classify(%v) = %v, want permanent=%v wrapping %v", tt.err, got, tt.permanent, tt.is)
			}
		})
	}
}

func TestWaitForPublisherWaits(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- WaitForPublisher{}.Pull(ctx, "publish://", nil, nil) }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Pull after cancel = %v, want Canceled", err)
	}
}
