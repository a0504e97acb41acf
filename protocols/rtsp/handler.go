package rtsp

import (
	"context"
	"encoding/base64"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/liberrors"

	"streamhive/media"
)

// errNoPlayback answers readers of a server whose Hooks are no Player.
var errNoPlayback = errors.New("rtsp: playback is not served here")

// handler implements gortsplib's server callbacks. Request callbacks of a
// session run on that session's goroutine; packet and loss callbacks on
// the connection's or the UDP socket's.
type handler struct {
	hooks   Hooks
	log     *slog.Logger
	streams *sharedStreams // the readers' streams; nil: no Player
}

// OnAnnounce checks what the publisher offers and, when its SDP is
// complete, asks Hooks for the stream's publisher slot, so that a refusal
// is an answer to ANNOUNCE rather than a closed session later.
func (h *handler) OnAnnounce(ctx *gortsplib.ServerHandlerOnAnnounceCtx) (*base.Response, error) {
	name := StreamName(ctx.Path)
	log := h.log.With("stream", string(name), "peer", ctx.Conn.NetConn().RemoteAddr().String())
	if name == "" {
		log.Warn("rtsp: publish refused: no stream name in the URL")
		return &base.Response{StatusCode: base.StatusBadRequest}, errors.New("rtsp: no stream name")
	}
	info := PublishInfo{Peer: ctx.Conn.NetConn().RemoteAddr(), Path: string(name), Query: ctx.Query, Stats: &media.InputStats{}}
	info.User, info.Password = basicCredentials(ctx.Request)
	if res, err := h.admit(name, info, log); err != nil {
		return res, err
	}
	sel, err := selectTracks(ctx.Description.Medias)
	if err != nil {
		log.Warn("rtsp: publish refused", slog.Any("err", err))
		return &base.Response{StatusCode: base.StatusUnsupportedMediaType}, err
	}
	pub := newPublication(h.hooks, name, info)
	session := ctx.Session
	pub.watch = media.NewRevokeWatch(func() {
		log.Info("rtsp: the stream took the publication back (another publisher, or the input is gone): closing")
		session.Close()
	})
	pub.in = newIngest(ingestConfig{
		sel: sel, stats: pub.info.Stats, log: log, publish: pub.publish, pts: session.PacketPTS2,
		fail: func(err error) {
			log.Warn("rtsp: publication ended", slog.Any("err", err))
			session.Close() // only cancels: safe from a packet callback
		},
	})
	if err := pub.in.publishNow(); err != nil {
		pub.end()
		log.Warn("rtsp: publish refused", slog.Any("err", err))
		return &base.Response{StatusCode: base.StatusForbidden}, err
	}
	session.SetUserData(pub)
	log.Info("rtsp: publisher announced")
	return &base.Response{StatusCode: base.StatusOK}, nil
}

// OnSetup accepts the transports of an announced session, and gives a
// reader's its stream (readers.go).
func (h *handler) OnSetup(ctx *gortsplib.ServerHandlerOnSetupCtx) (*base.Response, *gortsplib.ServerStream, error) {
	if publicationOf(ctx.Session) == nil {
		return h.setupReader(ctx)
	}
	return &base.Response{StatusCode: base.StatusOK}, nil, nil
}

// OnRecord starts the media.
func (h *handler) OnRecord(ctx *gortsplib.ServerHandlerOnRecordCtx) (*base.Response, error) {
	pub := publicationOf(ctx.Session)
	if pub == nil {
		return &base.Response{StatusCode: base.StatusBadRequest}, errors.New("rtsp: RECORD without ANNOUNCE")
	}
	ctx.Session.OnPacketRTPAny(pub.in.onPacket)
	transport := "unknown"
	if tr := ctx.Session.SetuppedTransport(); tr != nil {
		transport = tr.String()
	}
	h.log.Info("rtsp: recording", slog.String("stream", pub.info.Path), slog.String("transport", transport))
	return &base.Response{StatusCode: base.StatusOK}, nil
}

// OnSessionClose ends the publication (the stream gets its slot back) or
// the reader.
func (h *handler) OnSessionClose(ctx *gortsplib.ServerHandlerOnSessionCloseCtx) {
	if r := readerOf(ctx.Session.UserData()); r != nil {
		r.end()
		h.log.Info("rtsp: reader left", slog.String("stream", string(r.name)), slog.Any("err", ctx.Error))
	}
	if pub := publicationOf(ctx.Session); pub != nil {
		pub.end()
		h.log.Info("rtsp: publisher left", slog.String("stream", pub.info.Path), slog.Any("err", ctx.Error))
	}
}

// OnPacketsLost counts RTP packets that never came.
func (h *handler) OnPacketsLost(ctx *gortsplib.ServerHandlerOnPacketsLostCtx) {
	if pub := publicationOf(ctx.Session); pub != nil {
		pub.info.Stats.Errors.Add(ctx.Lost)
	}
}

// OnDecodeError counts packets gortsplib could not parse.
func (h *handler) OnDecodeError(ctx *gortsplib.ServerHandlerOnDecodeErrorCtx) {
	if pub := publicationOf(ctx.Session); pub != nil {
		pub.info.Stats.Errors.Add(1)
	}
	h.log.Debug("rtsp: undecodable packet", slog.Any("err", ctx.Error))
}

// OnStreamWriteError logs a reader's failed write; it exists so gortsplib
// does not print to the standard logger.
func (h *handler) OnStreamWriteError(ctx *gortsplib.ServerHandlerOnStreamWriteErrorCtx) {
	h.log.Debug("rtsp: write error", slog.Any("err", ctx.Error))
}

func publicationOf(s *gortsplib.ServerSession) *publication {
	pub, _ := s.UserData().(*publication)
	return pub
}

// publication is one publishing session's claim on a stream.
type publication struct {
	hooks  Hooks
	name   media.StreamName
	info   PublishInfo
	ctx    context.Context // done when the session ends
	cancel context.CancelFunc
	in     *ingest

	// release is Hooks.Publish's end func: set by publish (on a packet
	// goroutine), called once by end (on the session's).
	mu      sync.Mutex
	release func()
	ended   bool

	// watch ends the session when the stream takes the publication back;
	// nil in tests that build a publication by hand.
	watch *media.RevokeWatch
}

func newPublication(hooks Hooks, name media.StreamName, info PublishInfo) *publication {
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), publishInfoKey{}, info))
	ctx = media.WithInputStats(ctx, info.Stats)
	return &publication{hooks: hooks, name: name, info: info, ctx: ctx, cancel: cancel}
}

// publish is the ingest's publish func.
func (p *publication) publish(tracks []media.Track) (media.Sink, error) {
	if p.watch != nil {
		p.watch.Stop() // publishing new tracks takes our own old sink back: no takeover
	}
	sink, release, err := p.hooks.Publish(p.ctx, p.name, tracks)
	if err != nil {
		return nil, err
	}
	if p.watch != nil {
		p.watch.Follow(sink)
	}
	p.mu.Lock()
	if p.ended {
		p.mu.Unlock()
		release()
		return nil, context.Canceled
	}
	p.release = release
	p.mu.Unlock()
	return sink, nil
}

// end releases the stream, once.
func (p *publication) end() {
	p.cancel()
	if p.watch != nil {
		p.watch.Stop()
	}
	p.mu.Lock()
	p.ended = true
	release := p.release
	p.release = nil
	p.mu.Unlock()
	if release != nil {
		release()
	}
}

// admit asks an Admitter whether the publisher described by info may
// publish name. A refusal wrapping ErrUnauthorized answers 401 with
// gortsplib's auth error: it adds the Basic challenge when the request
// carried no credentials and closes the connection when it carried wrong
// ones.
func (h *handler) admit(name media.StreamName, info PublishInfo, log *slog.Logger) (*base.Response, error) {
	a, ok := h.hooks.(Admitter)
	if !ok {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(context.WithValue(context.Background(), publishInfoKey{}, info), admitTimeout)
	defer cancel()
	err := a.Admit(ctx, name)
	switch {
	case err == nil:
		return nil, nil
	case errors.Is(err, ErrUnauthorized):
		log.Info("rtsp: publisher asked for credentials", slog.Any("err", err))
		return &base.Response{StatusCode: base.StatusUnauthorized}, liberrors.ErrServerAuth{}
	}
	log.Warn("rtsp: publish refused", slog.Any("err", err))
	return &base.Response{StatusCode: base.StatusForbidden}, err
}

// admitTimeout bounds Admitter.Admit, which may ask an auth backend
// (whose own timeout is shorter): the publisher waits on it.
const admitTimeout = 5 * time.Second

// basicCredentials reads a request's Authorization: Basic header (RFC
// 7617: the user ends at the first colon, the password may hold more);
// empty strings when there is none, it is another scheme, or it does not
// parse.
func basicCredentials(req *base.Request) (user, password string) {
	if req == nil || len(req.Header["Authorization"]) != 1 {
		return "", ""
	}
	return parseBasic(req.Header["Authorization"][0])
}

// maxBasicLen bounds the Basic credentials decoded: longer is no publisher's.
const maxBasicLen = 1024

func parseBasic(v string) (user, password string) {
	scheme, enc, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok || !strings.EqualFold(scheme, "Basic") || len(enc) > maxBasicLen {
		return "", ""
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(enc))
	if err != nil {
		return "", ""
	}
	user, password, ok = strings.Cut(string(raw), ":")
	if !ok {
		return "", ""
	}
	return user, password
}
