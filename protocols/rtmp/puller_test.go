package rtmp

import (
	"context"
	"errors"
	"testing"
)

func TestPullerBadURL(t *testing.T) {
	for _, u := range []string{"http://x/a/b", "rtmp://host", "rtmp://host/app", "rtmp://host/%zz"} {
		err := (&Puller{}).Pull(context.Background(), u, nil, nil)
		if !errors.Is(err, ErrBadURL) {
			t.Errorf("%s: err = %v, want ErrBadURL", u, err)
		}
	}
}
