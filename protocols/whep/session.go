package whep

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/webrtc/v4"

	"streamhive/media"
	"streamhive/protocols/pionrtc"
)

// session is one viewer's peer connection. It ends once, through end;
// its goroutine (start) then closes the connection and the consumer.
type session struct {
	srv *Server
	id  string
	v   Viewer
	log *slog.Logger

	pc           *webrtc.PeerConnection
	video, audio *webrtc.TrackLocalStaticRTP // nil: not played

	mu sync.Mutex // serialises renegotiation (ICE restart) and trickle

	keyframeAsked atomic.Bool // a PLI or FIR came: skip video to the next keyframe
	connected     chan struct{}
	connectOnce   sync.Once
	ctx           context.Context // canceled, with the reason, when the session ends
	end           context.CancelCauseFunc
	done          chan struct{} // closed once the session has ended
}

func newSession(srv *Server, id string, v Viewer, log *slog.Logger) *session {
	sess := &session{srv: srv, id: id, v: v, log: log, connected: make(chan struct{}), done: make(chan struct{})}
	sess.ctx, sess.end = context.WithCancelCause(context.Background())
	return sess
}

// negotiate creates the peer connection, adds the tracks the offer and
// the stream have in common and answers with every candidate gathered.
func (sess *session) negotiate(ctx context.Context) ([]byte, error) {
	pc, err := sess.srv.api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return nil, fmt.Errorf("whep: peer connection: %w", err)
	}
	sess.pc = pc
	pc.OnConnectionStateChange(sess.onState)
	recv, err := offerReceives(sess.v.Offer)
	if err != nil {
		return nil, err
	}
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: string(sess.v.Offer)}); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadOffer, err)
	}
	video, audio := sess.v.Select.pick(sess.v.Frames.Tracks().List)
	if recv.video && video >= 0 {
		if sess.video, err = sess.addTrack(pionrtc.H264(pionrtc.H264Profiles[0], 1), "video"); err != nil {
			return nil, err
		}
	}
	if recv.audio && !sess.v.Select.NoAudio && (audio >= 0 || sess.v.Audio) {
		if sess.audio, err = sess.addTrack(pionrtc.Opus(), "audio"); err != nil {
			return nil, err
		}
	}
	if sess.video == nil && sess.audio == nil {
		return nil, fmt.Errorf("%w: it receives neither H.264 video nor Opus audio this stream has: %w", ErrBadOffer, media.ErrUnsupportedCodec)
	}
	return sess.answer(ctx)
}

// addTrack adds one of our tracks and reads its sender's RTCP.
func (sess *session) addTrack(c webrtc.RTPCodecCapability, kind string) (*webrtc.TrackLocalStaticRTP, error) {
	t, err := webrtc.NewTrackLocalStaticRTP(c, kind, "streamhive")
	if err != nil {
		return nil, fmt.Errorf("whep: %s track: %w", kind, err)
	}
	sender, err := sess.pc.AddTrack(t)
	if err != nil {
		return nil, fmt.Errorf("%w: %s track: %w", ErrBadOffer, kind, err)
	}
	go sess.readRTCP(sender)
	return t, nil
}

// answer creates and applies our answer and returns it once every host
// candidate is in it.
func (sess *session) answer(ctx context.Context) ([]byte, error) {
	answer, err := sess.pc.CreateAnswer(nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadOffer, err)
	}
	gathered := webrtc.GatheringCompletePromise(sess.pc)
	if err := sess.pc.SetLocalDescription(answer); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadOffer, err)
	}
	select {
	case <-gathered:
	case <-ctx.Done():
		return nil, fmt.Errorf("whep: gathering ICE candidates: %w", ctx.Err())
	}
	return []byte(sess.pc.LocalDescription().SDP), nil
}

// readRTCP reads one sender's RTCP until the connection closes (pion's
// interceptors need it read: NACKs are answered on the way). A keyframe
// request skips video to the next keyframe.
//
// Why not answer a PLI from the GOP cache: the cached keyframe is older
// than the frames the viewer has decoded, and the P-frames after it
// depend on every frame between. Sending the keyframe alone leaves those
// P-frames undecodable; sending the whole GOP again puts up to a GOP of
// frames with past timestamps on the wire at once, which a receiver's
// jitter buffer drops as older than what it already decoded (or plays as
// a jump back in time) and which adds a GOP of latency. The next
// keyframe arrives within a GOP, and skipping the P-frames before it
// spares bandwidth the decoder could not use anyway.
func (sess *session) readRTCP(sender *webrtc.RTPSender) {
	for {
		pkts, _, err := sender.ReadRTCP()
		if err != nil {
			return
		}
		for _, p := range pkts {
			switch p.(type) {
			case *rtcp.PictureLossIndication, *rtcp.FullIntraRequest:
				sess.keyframeAsked.Store(true)
			default:
			}
		}
	}
}

// abort ends a session that never started: its resources go at once.
func (sess *session) abort(err error) {
	sess.end(err)
	if sess.pc != nil {
		_ = sess.pc.Close()
	}
	sess.release()
	close(sess.done)
}

// release closes the consumer and tells the caller the session ended.
func (sess *session) release() {
	sess.v.Frames.Close()
	if sess.v.OnEnd != nil {
		sess.v.OnEnd()
	}
}

// start runs the session until it ends: it sends once connected, and
// ends unless connected within connectTimeout. onEnded runs once it has
// ended.
func (sess *session) start(connectTimeout time.Duration, onEnded func()) {
	timer := time.AfterFunc(connectTimeout, func() {
		select {
		case <-sess.connected:
		default:
			sess.end(fmt.Errorf("%w: not connected after %v", ErrICE, connectTimeout))
		}
	})
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		sess.send()
	}()
	go func() {
		defer close(sess.done)
		select {
		case <-sess.ctx.Done():
		case <-sess.v.Ended:
			sess.end(errKicked)
		}
		timer.Stop()
		_ = sess.pc.Close()
		<-sent
		sess.release()
		sess.log.Info("whep: session ended", slog.Any("reason", context.Cause(sess.ctx)))
		onEnded()
	}()
}

func (sess *session) onState(st webrtc.PeerConnectionState) {
	sess.log.Debug("whep: connection state", slog.String("state", st.String()))
	switch st {
	case webrtc.PeerConnectionStateConnected:
		sess.connectOnce.Do(func() { close(sess.connected) })
	case webrtc.PeerConnectionStateFailed:
		sess.end(fmt.Errorf("%w: the connection failed", ErrICE))
	case webrtc.PeerConnectionStateClosed:
		sess.end(errors.New("whep: connection closed"))
	default: // new, connecting, disconnected: pion's timeouts decide
	}
}

// kinds names the tracks played, for logs.
func (sess *session) kinds() string {
	switch {
	case sess.video != nil && sess.audio != nil:
		return "h264+opus"
	case sess.video != nil:
		return "h264"
	default:
		return "opus"
	}
}

// End implements pionrtc.Ender: it asks the session to end with err.
func (sess *session) End(err error) { sess.end(err) }
