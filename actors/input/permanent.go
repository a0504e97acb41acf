package input

import (
	"context"
	"errors"

	"streamhive/media"
	"streamhive/supervision"
)

// PermanentOn wraps p so that a pull ending with an error that wraps one of
// errs reaches the supervisor as supervision.Permanent: the input stops for
// good instead of restarting. Protocol packages (which import media only)
// export sentinels for the failures no retry can fix (a bad URL, bad
// options, a program the source does not carry, an unsupported file); the
// wiring in cmd names them here.
func PermanentOn(p Puller, errs ...error) Puller {
	return permanentOn{p: p, errs: errs}
}

type permanentOn struct {
	p    Puller
	errs []error
}

// Pull implements Puller.
func (w permanentOn) Pull(ctx context.Context, url string, options map[string]string,
	publish func([]media.Track) (media.Sink, error),
) error {
	err := w.p.Pull(ctx, url, options, publish)
	if err == nil || ctx.Err() != nil || supervision.IsPermanent(err) {
		return err
	}
	for _, target := range w.errs {
		if errors.Is(err, target) {
			return &supervision.Permanent{Err: err}
		}
	}
	return err
}
