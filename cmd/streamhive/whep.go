package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strings"

	"streamhive/actors/server"
	"streamhive/gateway/play"
	"streamhive/media"
	"streamhive/protocols/pionrtc"
	"streamhive/protocols/whep"
	"streamhive/protocols/whip"
)

// webrtcFlags are the WebRTC sockets' settings. Flussonic documents no
// directive for them: its WebRTC pages say it uses the ports the OS
// allocates, and its config schema has no WebRTC port, public address or
// STUN setting (webrtc_transport is a publisher's choice, not a socket).
// So they are flags.
type webrtcFlags struct {
	udp, tcp, publicIPs string
}

func (f *webrtcFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.udp, "webrtc-udp", "", "the one UDP `address` (HOST:PORT, or :PORT on every interface) all WebRTC peers share; empty: an ephemeral port per peer")
	fs.StringVar(&f.tcp, "webrtc-tcp", "", "ICE-TCP listening `address` for WebRTC peers behind UDP-blocking firewalls; empty: none")
	fs.StringVar(&f.publicIPs, "webrtc-public-ip", "", "comma-separated public `IPs` a NAT 1:1 maps to this server, announced instead of its own addresses")
}

// webrtcSide is WHIP publishing and WHEP playing over shared sockets.
type webrtcSide struct {
	net  *pionrtc.Net
	whip *whip.Server
	whep *whep.Server
}

// openNet opens the sockets f names.
func (f webrtcFlags) openNet(log *slog.Logger) (*pionrtc.Net, error) {
	nc := pionrtc.NetConfig{UDP: f.udp, TCP: f.tcp, Logger: log}
	if f.publicIPs != "" {
		nc.PublicIPs = strings.Split(f.publicIPs, ",")
	}
	return pionrtc.OpenNet(nc)
}

func newWebRTC(srv *server.Server, f webrtcFlags, log *slog.Logger) (*webrtcSide, error) {
	n, err := f.openNet(log)
	if err != nil {
		return nil, err
	}
	wi, err := whip.New(whip.Config{Hooks: srv.Publisher(), Logger: log, Net: n})
	if err != nil {
		n.Close()
		return nil, err
	}
	we, err := whep.New(whep.Config{Logger: log, Net: n})
	if err != nil {
		wi.Close()
		n.Close()
		return nil, err
	}
	for _, a := range n.UDPAddrs() {
		log.Info("webrtc", "udp", a.String())
	}
	return &webrtcSide{net: n, whip: wi, whep: we}, nil
}

// Close ends every WebRTC session, then closes the sockets.
func (w *webrtcSide) Close() {
	w.whip.Close()
	w.whep.Close()
	w.net.Close()
}

// playWHEP adapts the WHEP server to play.WHEP.
type playWHEP struct{ srv *whep.Server }

var _ play.WHEP = playWHEP{}

// Play implements play.WHEP.
func (w playWHEP) Play(ctx context.Context, v play.WHEPViewer) ([]byte, string, error) {
	answer, id, err := w.srv.Play(ctx, whep.Viewer{
		Name: media.StreamName(v.Name), Offer: v.Offer, Frames: v.Frames, Audio: v.Audio, Peer: v.Peer,
		Ended: v.Ended, Sent: v.Sent, OnEnd: v.OnEnd,
		Select: whep.Selection{Video: v.Tracks.Video, Audio: v.Tracks.Audio, NoVideo: v.Tracks.NoVideo, NoAudio: v.Tracks.NoAudio},
	})
	return answer, id, whepError(err)
}

// Trickle implements play.WHEP.
func (w playWHEP) Trickle(ctx context.Context, name, id string, frag []byte) ([]byte, error) {
	answer, err := w.srv.Trickle(ctx, media.StreamName(name), id, frag)
	return answer, whepError(err)
}

// End implements play.WHEP.
func (w playWHEP) End(name, id string) error {
	return whepError(w.srv.End(media.StreamName(name), id))
}

func whepError(err error) error {
	var sentinel error
	switch {
	case err == nil:
		return nil
	case errors.Is(err, whep.ErrBadOffer):
		sentinel = play.ErrBadOffer
	case errors.Is(err, whep.ErrBadFragment):
		sentinel = play.ErrBadFragment
	case errors.Is(err, whep.ErrNoSession):
		sentinel = play.ErrNoSession
	case errors.Is(err, whep.ErrClosed), errors.Is(err, context.Canceled):
		sentinel = play.ErrUnavailable
	default:
		return err
	}
	return fmt.Errorf("%w: %w", sentinel, err)
}
