package whip

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync/atomic"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"

	"streamhive/media"
)

// publishTimeout bounds Hooks.Publish: the stream actor answers at once
// unless it is overloaded or stopping.
const publishTimeout = 5 * time.Second

// sessionConfig is what negotiate needs.
type sessionConfig struct {
	id    string
	name  media.StreamName
	peer  net.Addr
	offer string
	log   *slog.Logger
}

// session is one publisher's peer connection. It ends once, through end;
// its goroutine (start) then closes the connection and releases the
// publication.
type session struct {
	id    string
	name  media.StreamName
	log   *slog.Logger
	pc    *webrtc.PeerConnection
	in    *ingest
	stats *media.InputStats

	ctx       context.Context // canceled, with the reason, when the session ends
	end       context.CancelCauseFunc
	connected atomic.Bool
	done      chan struct{} // closed once the session has ended
}

// negotiate creates the session's peer connection and answers the offer,
// with every host candidate gathered (no trickle). ctx bounds the
// gathering.
func (s *Server) negotiate(ctx context.Context, cfg sessionConfig) (*session, []byte, error) {
	pc, err := s.api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return nil, nil, fmt.Errorf("whip: peer connection: %w", err)
	}
	sess := &session{id: cfg.id, name: cfg.name, log: cfg.log, pc: pc, stats: &media.InputStats{}, done: make(chan struct{})}
	sess.ctx, sess.end = context.WithCancelCause(context.Background())
	sess.in = &ingest{
		stats: sess.stats, log: cfg.log, epoch: time.Now(),
		publish: func(tracks []media.Track) (media.Sink, func(), error) {
			pctx, cancel := context.WithTimeout(media.WithInputStats(sess.ctx, sess.stats), publishTimeout)
			defer cancel()
			return s.cfg.Hooks.Publish(pctx, cfg.name, tracks, cfg.peer)
		},
		fail: func(err error) { sess.end(err) },
	}
	answer, err := sess.answer(ctx, cfg.offer)
	if err != nil {
		sess.end(err)
		_ = pc.Close()
		return nil, nil, err
	}
	return sess, answer, nil
}

// answer applies the offer and returns the complete answer.
func (sess *session) answer(ctx context.Context, offer string) ([]byte, error) {
	pc := sess.pc
	pc.OnTrack(sess.onTrack)
	pc.OnConnectionStateChange(sess.onState)
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offer}); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadOffer, err)
	}
	answer, err := pc.CreateAnswer(nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadOffer, err)
	}
	if sess.in.want, err = acceptedTracks(answer.SDP); err != nil {
		return nil, err
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(answer); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadOffer, err)
	}
	select {
	case <-gathered:
	case <-ctx.Done():
		return nil, fmt.Errorf("whip: gathering ICE candidates: %w", ctx.Err())
	}
	return []byte(pc.LocalDescription().SDP), nil
}

// start runs the session until it ends: connectTimeout after the answer
// it ends unless ICE has connected. onEnded runs once it has ended.
func (sess *session) start(connectTimeout time.Duration, onEnded func()) {
	timer := time.AfterFunc(connectTimeout, func() {
		if !sess.connected.Load() {
			sess.end(fmt.Errorf("%w: not connected after %v", ErrICE, connectTimeout))
		}
	})
	go func() {
		defer close(sess.done)
		<-sess.ctx.Done()
		timer.Stop()
		_ = sess.pc.Close() // the track readers return
		sess.in.close()
		sess.log.Info("whip: session ended", slog.Any("reason", context.Cause(sess.ctx)),
			slog.Uint64("frames", sess.stats.Frames.Load()), slog.Uint64("bytes", sess.stats.Bytes.Load()))
		onEnded()
	}()
}

func (sess *session) onState(st webrtc.PeerConnectionState) {
	sess.log.Debug("whip: connection state", slog.String("state", st.String()))
	switch st {
	case webrtc.PeerConnectionStateConnected:
		sess.connected.Store(true)
	case webrtc.PeerConnectionStateFailed:
		sess.end(fmt.Errorf("%w: the connection failed", ErrICE))
	case webrtc.PeerConnectionStateClosed:
		sess.end(errors.New("whip: connection closed"))
	default: // new, connecting, disconnected: pion's timeouts decide
	}
}

// onTrack reads one remote track until the connection closes. It runs on
// its own goroutine (pion starts one per track). The first H.264 video and
// the first Opus audio feed the ingest; anything else is read and counted
// only, so pion's buffers do not fill.
func (sess *session) onTrack(t *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
	feed := sess.attach(t)
	buf := make([]byte, 1500)
	for {
		n, _, err := t.Read(buf)
		if err != nil {
			return // closed
		}
		sess.stats.Bytes.Add(uint64(n))
		if feed == nil {
			continue
		}
		// Packets are kept by the reassembly: each needs its own bytes.
		pkt := &rtp.Packet{}
		if err := pkt.Unmarshal(append([]byte(nil), buf[:n]...)); err != nil {
			sess.in.mu.Lock()
			sess.in.drop("RTP packet", err)
			sess.in.mu.Unlock()
			continue
		}
		feed(pkt, time.Now())
	}
}

// attach returns the feed for a new remote track, or nil when the ingest
// does not take it.
func (sess *session) attach(t *webrtc.TrackRemote) func(*rtp.Packet, time.Time) {
	in := sess.in
	in.mu.Lock()
	defer in.mu.Unlock()
	mime := t.Codec().MimeType
	switch {
	case t.Kind() == webrtc.RTPCodecTypeVideo && in.want.video && in.video == nil && mime == webrtc.MimeTypeH264:
		ssrc := uint32(t.SSRC())
		v := newVideoTrack(func() {
			_ = sess.pc.WriteRTCP([]rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: ssrc}})
		})
		in.video = v
		return func(p *rtp.Packet, at time.Time) { in.onVideo(v, p, at) }
	case t.Kind() == webrtc.RTPCodecTypeAudio && in.want.audio && in.audio == nil && mime == webrtc.MimeTypeOpus:
		a := newAudioTrack()
		in.audio = a
		return func(p *rtp.Packet, at time.Time) { in.onAudio(a, p, at) }
	}
	sess.log.Info("whip: ignoring a track", slog.String("codec", mime), slog.String("kind", t.Kind().String()))
	return nil
}

// End implements pionrtc.Ender: it asks the session to end with err.
func (sess *session) End(err error) { sess.end(err) }
