package rtsp

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"

	"streamhive/media"
)

// reader is one admitted reader: its session with the Player and its
// share of the stream's ServerStream. DESCRIBE makes it on the
// connection; SETUP moves it to the session.
type reader struct {
	name media.StreamName
	v    *Viewing
	sh   *shared
	set  *sharedStreams
	once sync.Once
	stop chan struct{}
}

// end releases the reader, once: its share of the stream and its session.
func (r *reader) end() {
	r.once.Do(func() {
		close(r.stop)
		r.set.release(r.sh)
		r.v.Close()
	})
}

// statsEvery is how often a playing reader's sent bytes are reported.
const statsEvery = time.Second

// watch reports the session's sent bytes and closes it when the
// Player's session ends (a kick), until the reader ends.
func (r *reader) watch(s *gortsplib.ServerSession, log *slog.Logger) {
	t := time.NewTicker(statsEvery)
	defer t.Stop()
	var reported uint64
	report := func() {
		if n := s.Stats().BytesSent; n > reported && r.v.Sent != nil {
			r.v.Sent(int(n - reported))
			reported = n
		}
	}
	for {
		select {
		case <-t.C:
			report()
		case <-r.v.Ended:
			log.Info("rtsp: reader's session ended: closing", slog.String("stream", string(r.name)))
			s.Close()
			return
		case <-r.stop:
			report()
			return
		}
	}
}

func readerOf(v any) *reader {
	r, _ := v.(*reader)
	return r
}

// newReader asks the Player to admit the reader of path and shares its
// stream's ServerStream with it; on a refusal it returns the answer.
func (h *handler) newReader(conn *gortsplib.ServerConn, req *base.Request, path, query string) (*reader, *base.Response, error) {
	name := StreamName(path)
	log := h.log.With("stream", string(name), "peer", conn.NetConn().RemoteAddr().String())
	p, ok := h.hooks.(Player)
	if !ok || h.streams == nil || name == "" {
		return nil, &base.Response{StatusCode: base.StatusNotFound}, errNoPlayback
	}
	info := PublishInfo{Peer: conn.NetConn().RemoteAddr(), Path: string(name), Query: query, Stats: &media.InputStats{}}
	info.User, info.Password = basicCredentials(req)
	if ua := req.Header["User-Agent"]; len(ua) == 1 {
		info.UserAgent = ua[0]
	}
	ctx, cancel := context.WithTimeout(context.WithValue(context.Background(), publishInfoKey{}, info), admitTimeout+firstFrameTimeout)
	defer cancel()
	v, err := p.Play(ctx, name)
	if err != nil {
		log.Warn("rtsp: reader refused", slog.Any("err", err))
		return nil, refusal(err), err
	}
	sh, err := h.streams.acquire(ctx, name)
	if err != nil {
		v.Close()
		log.Warn("rtsp: reader refused", slog.Any("err", err))
		return nil, refusal(err), err
	}
	return &reader{name: name, v: v, sh: sh, set: h.streams, stop: make(chan struct{})}, nil, nil
}

// refusal answers a Player's refusal.
func refusal(err error) *base.Response {
	switch {
	case errors.Is(err, ErrNotFound):
		return &base.Response{StatusCode: base.StatusNotFound}
	case errors.Is(err, ErrUnauthorized):
		return &base.Response{StatusCode: base.StatusUnauthorized}
	case errors.Is(err, context.DeadlineExceeded):
		return &base.Response{StatusCode: base.StatusServiceUnavailable}
	default:
		return &base.Response{StatusCode: base.StatusForbidden}
	}
}

// OnDescribe admits a reader and describes its stream's one rendition.
func (h *handler) OnDescribe(ctx *gortsplib.ServerHandlerOnDescribeCtx) (*base.Response, *gortsplib.ServerStream, error) {
	r, res, err := h.newReader(ctx.Conn, ctx.Request, ctx.Path, ctx.Query)
	if err != nil {
		return res, nil, err
	}
	if old := readerOf(ctx.Conn.UserData()); old != nil {
		old.end() // a second DESCRIBE on the connection
	}
	ctx.Conn.SetUserData(r)
	return &base.Response{StatusCode: base.StatusOK}, r.sh.st, nil
}

// setupReader gives a reader's SETUP its stream: the session's reader,
// else the one the connection's DESCRIBE admitted, else a new one.
func (h *handler) setupReader(ctx *gortsplib.ServerHandlerOnSetupCtx) (*base.Response, *gortsplib.ServerStream, error) {
	r := readerOf(ctx.Session.UserData())
	if r == nil {
		if r = readerOf(ctx.Conn.UserData()); r != nil {
			ctx.Conn.SetUserData(nil)
		} else {
			var res *base.Response
			var err error
			if r, res, err = h.newReader(ctx.Conn, ctx.Request, ctx.Path, ctx.Query); err != nil {
				return res, nil, err
			}
		}
		ctx.Session.SetUserData(r)
	}
	return &base.Response{StatusCode: base.StatusOK}, r.sh.st, nil
}

// OnPlay starts a reader's watch.
func (h *handler) OnPlay(ctx *gortsplib.ServerHandlerOnPlayCtx) (*base.Response, error) {
	r := readerOf(ctx.Session.UserData())
	if r == nil {
		return &base.Response{StatusCode: base.StatusBadRequest}, errors.New("rtsp: PLAY without SETUP")
	}
	transport := "unknown"
	if tr := ctx.Session.SetuppedTransport(); tr != nil {
		transport = tr.String()
	}
	log := h.log.With("peer", ctx.Conn.NetConn().RemoteAddr().String())
	log.Info("rtsp: reader playing", slog.String("stream", string(r.name)), slog.String("transport", transport))
	go r.watch(ctx.Session, log)
	return &base.Response{StatusCode: base.StatusOK}, nil
}

// OnConnClose releases a reader a DESCRIBE admitted that never set up.
func (h *handler) OnConnClose(ctx *gortsplib.ServerHandlerOnConnCloseCtx) {
	if r := readerOf(ctx.Conn.UserData()); r != nil {
		r.end()
	}
}
