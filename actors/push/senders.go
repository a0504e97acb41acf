package push

import (
	"context"
	"errors"
	"sync/atomic"

	"streamhive/protocols/rtmp"
	"streamhive/protocols/srt"
	"streamhive/protocols/udp"
	"streamhive/supervision"
)

// DefaultSenders returns the senders of the schemes StreamHive pushes to:
// rtmp, rtmps, srt and udp. A URL they cannot use fails permanently.
func DefaultSenders() map[string]Sender {
	rtmpPusher := &rtmp.Pusher{}
	rtmpSend := func(ctx context.Context, url string, o map[string]string, src Source, sent *atomic.Uint64) error {
		return permanentOn(rtmpPusher.Push(ctx, url, o, src, sent), rtmp.ErrBadURL)
	}
	return map[string]Sender{
		"rtmp":  rtmpSend,
		"rtmps": rtmpSend,
		"srt": func(ctx context.Context, url string, o map[string]string, src Source, sent *atomic.Uint64) error {
			return permanentOn(srt.Pusher{}.Push(ctx, url, o, src, sent), srt.ErrBadURL, srt.ErrBadOptions)
		},
		"udp": func(ctx context.Context, url string, o map[string]string, src Source, sent *atomic.Uint64) error {
			return permanentOn(udp.Pusher{}.Push(ctx, url, o, src, sent), udp.ErrBadURL)
		},
	}
}

// permanentOn marks err permanent when it wraps one of the sentinels: a
// URL or option that no retry can fix.
func permanentOn(err error, sentinels ...error) error {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return &supervision.Permanent{Err: err}
		}
	}
	return err
}
