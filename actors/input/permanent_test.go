package input

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"streamhive/media"
	"streamhive/supervision"
)

// failingPuller ends every pull with its error.
type failingPuller struct{ err error }

func (f failingPuller) Pull(context.Context, string, map[string]string, func([]media.Track) (media.Sink, error)) error {
	return f.err
}

func TestPermanentOn(t *testing.T) {
	errBadURL := errors.New("bad url")
	errNoProgram := errors.New("no program")
	errTimeout := errors.New("timeout")
	for _, tt := range []struct {
		name      string
		err       error
		permanent bool
	}{
		{"listed", fmt.Errorf("udp: %w", errBadURL), true},
		{"second listed", fmt.Errorf("x: %w", errNoProgram), true},
		{"transient", errTimeout, false},
		{"nil", nil, false},
		{"already permanent", &supervision.Permanent{Err: errTimeout}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := PermanentOn(failingPuller{tt.err}, errBadURL, errNoProgram)
			err := p.Pull(context.Background(), "x://", nil, nil)
			if !errors.Is(err, tt.err) || supervision.IsPermanent(err) != tt.permanent {
				t.Errorf("Pull = %v (permanent %v), want %v (permanent %v)",
					err, supervision.IsPermanent(err), tt.err, tt.permanent)
			}
		})
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := PermanentOn(failingPuller{errBadURL}, errBadURL).Pull(ctx, "x://", nil, nil); supervision.IsPermanent(err) {
		t.Errorf("a cancelled pull's error became permanent: %v", err)
	}
}
