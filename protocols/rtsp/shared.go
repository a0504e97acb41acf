package rtsp

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/bluenviron/gortsplib/v4"

	"streamhive/media"
)

// sharedStreams keeps one gortsplib ServerStream per stream that has
// readers: its frames are packetised once and gortsplib writes the
// packets to every reader (interleaved or over UDP). The first reader
// creates it, the last one's leaving ends it.
type sharedStreams struct {
	player Player
	log    *slog.Logger

	mu  sync.Mutex
	lib *gortsplib.Server // set by Serve before it accepts
	m   map[media.StreamName]*shared
}

// shared is one stream's ServerStream and the goroutine that feeds it.
type shared struct {
	name   media.StreamName
	refs   int           // guarded by sharedStreams.mu
	ready  chan struct{} // closed once st or err is set
	st     *gortsplib.ServerStream
	err    error
	cancel context.CancelFunc
}

func (s *sharedStreams) setServer(lib *gortsplib.Server) {
	s.mu.Lock()
	s.lib = lib
	s.mu.Unlock()
}

// acquire returns name's ServerStream, creating it for the first reader;
// each successful acquire is matched by one release.
func (s *sharedStreams) acquire(ctx context.Context, name media.StreamName) (*shared, error) {
	s.mu.Lock()
	sh := s.m[name]
	if sh == nil {
		if s.m == nil {
			s.m = map[media.StreamName]*shared{}
		}
		pumpCtx, cancel := context.WithCancel(context.Background())
		sh = &shared{name: name, ready: make(chan struct{}), cancel: cancel}
		s.m[name] = sh
		go s.pump(pumpCtx, sh, s.lib)
	}
	sh.refs++
	s.mu.Unlock()
	select {
	case <-sh.ready:
	case <-ctx.Done():
		s.release(sh)
		return nil, ctx.Err()
	}
	if sh.err != nil {
		s.release(sh)
		return nil, sh.err
	}
	return sh, nil
}

// release drops one reader of sh; the last one ends its stream.
func (s *sharedStreams) release(sh *shared) {
	s.mu.Lock()
	sh.refs--
	last := sh.refs <= 0
	if last && s.m[sh.name] == sh {
		delete(s.m, sh.name)
	}
	s.mu.Unlock()
	if last {
		sh.cancel()
	}
}

// forget takes a stream that ended by itself out of the set, so that the
// next reader starts afresh.
func (s *sharedStreams) forget(sh *shared) {
	s.mu.Lock()
	if s.m[sh.name] == sh {
		delete(s.m, sh.name)
	}
	s.mu.Unlock()
}

// pump subscribes to the stream, waits for its first frame (which tells
// the tracks), opens the ServerStream and writes every frame to it until
// ctx ends (the last reader left), the stream ends or its tracks change;
// closing the ServerStream then closes its readers' sessions.
func (s *sharedStreams) pump(ctx context.Context, sh *shared, lib *gortsplib.Server) {
	defer s.forget(sh)
	fail := func(err error) {
		sh.err = err
		close(sh.ready)
	}
	startCtx, cancel := context.WithTimeout(ctx, firstFrameTimeout)
	defer cancel()
	src, release, err := s.player.Frames(startCtx, sh.name)
	if err != nil {
		fail(err)
		return
	}
	defer release()
	first, err := src.Read(startCtx)
	if err != nil {
		fail(err)
		return
	}
	tracks := src.Tracks()
	packs, desc, err := packetisers(tracks.List)
	if err != nil {
		fail(err)
		return
	}
	st := &gortsplib.ServerStream{Server: lib, Desc: desc}
	if err := st.Initialize(); err != nil {
		fail(err)
		return
	}
	defer st.Close()
	sh.st = st
	close(sh.ready)
	err = s.feed(ctx, st, src, packs, tracks.Version, first)
	if ctx.Err() == nil {
		s.log.Info("rtsp: readers' stream ended", slog.String("stream", string(sh.name)), slog.Any("err", err))
	}
}

// errTracksChanged ends a readers' stream whose tracks changed: the
// readers' SDP cannot; they reconnect.
var errTracksChanged = errors.New("rtsp: the stream's tracks changed")

// feed writes first and every later frame of src to st.
func (s *sharedStreams) feed(ctx context.Context, st *gortsplib.ServerStream, src Source,
	packs map[int]*packetiser, version uint64, first *media.Frame,
) error {
	origin, f := first.DTS, first
	for {
		if src.Tracks().Version != version {
			return errTracksChanged
		}
		if p := packs[f.Track]; p != nil && f.DTS >= origin {
			pkts, err := p.packets(f, origin)
			if err != nil {
				s.log.Debug("rtsp: frame not packetised", slog.Any("err", err))
			}
			now := time.Now()
			for _, pkt := range pkts {
				if err := st.WritePacketRTPWithNTP(p.medi, pkt, now); err != nil {
					return err
				}
			}
		}
		var err error
		if f, err = src.Read(ctx); err != nil {
			return err
		}
	}
}
