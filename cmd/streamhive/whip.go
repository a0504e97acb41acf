package main

import (
	"context"
	"errors"
	"fmt"
	"net"

	"streamhive/actors/listener"
	"streamhive/actors/stream"
	"streamhive/gateway/play"
	"streamhive/media"
	"streamhive/protocols/whip"
)

// playWHIP adapts the WHIP server to play.WHIP: stream names become
// media.StreamNames and the actor side's refusals become play's sentinels
// (the gateway imports neither protocols nor the listener's errors).
type playWHIP struct{ srv *whip.Server }

var _ play.WHIP = playWHIP{}

// Offer implements play.WHIP.
func (w playWHIP) Offer(ctx context.Context, name string, offer []byte, peer net.Addr) ([]byte, string, error) {
	c := play.CredentialsFrom(ctx)
	ctx = listener.WithPublishCredentials(ctx, c.Query, c.Authorization)
	answer, id, err := w.srv.Offer(ctx, media.StreamName(name), offer, peer)
	return answer, id, whipError(err)
}

// End implements play.WHIP.
func (w playWHIP) End(name, id string) error {
	return whipError(w.srv.End(media.StreamName(name), id))
}

func whipError(err error) error {
	var sentinel error
	switch {
	case err == nil:
		return nil
	case errors.Is(err, whip.ErrBadOffer):
		sentinel = play.ErrBadOffer
	case errors.Is(err, listener.ErrNoStream):
		sentinel = play.ErrNoStream
	case errors.Is(err, whip.ErrNoSession):
		sentinel = play.ErrNoSession
	case errors.Is(err, listener.ErrPublishDenied):
		sentinel = play.ErrDenied
	case errors.Is(err, stream.ErrNoPublishInput):
		sentinel = play.ErrNotPublishable
	case errors.Is(err, listener.ErrStreamDown):
		sentinel = play.ErrStreamDown
	case errors.Is(err, whip.ErrClosed), errors.Is(err, context.Canceled):
		// The server is stopping (Close, or the handler's Close ended
		// the negotiation).
		sentinel = play.ErrUnavailable
	default:
		return err
	}
	return fmt.Errorf("%w: %w", sentinel, err)
}
