package rtmppub

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/sirupsen/logrus"
	gortmp "github.com/yutopp/go-rtmp"
	"github.com/yutopp/go-rtmp/message"
)

// chunkSize is what ffmpeg and OBS announce: large enough that a video
// frame is a handful of chunks, as with real encoders.
const chunkSize = 4096

// connectTimeout bounds the handshake, connect and createStream exchange;
// go-rtmp's client waits for their answers without a deadline of its own.
const connectTimeout = 10 * time.Second

// Publisher sends a pre-encoded sample to one RTMP URL in real time, looping
// it with advancing timestamps, so the client spends no encoder time.
type Publisher struct {
	Addr   string  // host:port
	App    string  // "live"
	Key    string  // the stream name
	Sample *Sample // shared, read only
	// Sent, if not nil, counts the tag bytes written (FLV tag bodies, the
	// RTMP message payloads; chunk headers are not counted).
	Sent *atomic.Int64
	// Health, if not nil, records how far the publisher fell behind its
	// sample's clock and how long the server made it wait on a write.
	Health *Health
}

// Health is a publisher's own timing: Late is the worst lateness of a tag
// when it was about to be written (this process was slow to wake it: its
// own fault, or a previous write's), Blocked the longest single write (the
// server was slow to read: the server's fault). Safe for concurrent use.
type Health struct {
	late, blocked atomic.Int64 // nanoseconds, maxima
	tags          atomic.Int64
}

// Late returns the worst lateness seen.
func (h *Health) Late() time.Duration { return time.Duration(h.late.Load()) }

// Blocked returns the longest write seen.
func (h *Health) Blocked() time.Duration { return time.Duration(h.blocked.Load()) }

// Tags returns how many tags were written.
func (h *Health) Tags() int64 { return h.tags.Load() }

func (h *Health) record(late, blocked time.Duration) {
	if h == nil {
		return
	}
	storeMax(&h.late, int64(late))
	storeMax(&h.blocked, int64(blocked))
	h.tags.Add(1)
}

func storeMax(v *atomic.Int64, x int64) {
	for old := v.Load(); x > old; old = v.Load() {
		if v.CompareAndSwap(old, x) {
			return
		}
	}
}

// Run publishes until ctx ends. started is called just before dialling: it
// is the instant "publish start" that readiness is measured from. A nil
// error means ctx ended; anything else is a refusal or a broken connection.
func (p *Publisher) Run(ctx context.Context, started func()) error {
	started()
	conn, stream, err := p.open(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close() }()
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	err = p.send(ctx, stream)
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// open dials, connects to the application and starts publishing.
func (p *Publisher) open(ctx context.Context) (*gortmp.ClientConn, *gortmp.Stream, error) {
	type opened struct {
		conn   *gortmp.ClientConn
		stream *gortmp.Stream
		err    error
	}
	ch := make(chan opened, 1)
	go func() {
		conn, stream, err := p.handshake()
		ch <- opened{conn, stream, err}
	}()
	select {
	case o := <-ch:
		return o.conn, o.stream, o.err
	case <-time.After(connectTimeout):
	case <-ctx.Done():
	}
	// The handshake goroutine is left to fail on its own; close what it opens.
	go func() {
		if o := <-ch; o.conn != nil {
			_ = o.conn.Close()
		}
	}()
	return nil, nil, fmt.Errorf("rtmp %s/%s/%s: no answer within %v", p.Addr, p.App, p.Key, connectTimeout)
}

func (p *Publisher) handshake() (*gortmp.ClientConn, *gortmp.Stream, error) {
	// go-rtmp flushes after every chunk; with its default 4 KiB buffer a
	// full chunk and its header overflow the buffer first, so each chunk
	// cost two writes (the second of a few header bytes). Twice the chunk
	// size makes it one.
	conn, err := gortmp.Dial("rtmp", p.Addr, &gortmp.ConnConfig{Logger: quietLogger, WriterBufferSize: 2 * chunkSize})
	if err != nil {
		return nil, nil, err
	}
	err = conn.Connect(&message.NetConnectionConnect{Command: message.NetConnectionConnectCommand{
		App:      p.App,
		Type:     "nonprivate",
		FlashVer: "FMLE/3.0 (compatible; streamhive-bench)",
		TCURL:    "rtmp://" + p.Addr + "/" + p.App,
	}})
	if err != nil {
		_ = conn.Close()
		return nil, nil, fmt.Errorf("rtmp connect: %w", err)
	}
	stream, err := conn.CreateStream(nil, chunkSize)
	if err != nil {
		_ = conn.Close()
		return nil, nil, fmt.Errorf("rtmp createStream: %w", err)
	}
	if err := stream.Publish(&message.NetStreamPublish{PublishingName: p.Key, PublishingType: "live"}); err != nil {
		_ = conn.Close()
		return nil, nil, fmt.Errorf("rtmp publish: %w", err)
	}
	return conn, stream, nil
}

// send replays the sample at its own pace: each tag leaves when the wall
// clock reaches its timestamp. Headers go out once, at the start.
func (p *Publisher) send(ctx context.Context, stream *gortmp.Stream) error {
	t0 := time.Now()
	timer := time.NewTimer(time.Hour) // one timer for every tag: hundreds of publishers share the process
	defer timer.Stop()
	for loop := 0; ; loop++ {
		offset := time.Duration(loop) * p.Sample.Loop
		for _, t := range p.Sample.Tags {
			if loop > 0 && t.Header() {
				continue
			}
			at := offset + time.Duration(t.TS)*time.Millisecond
			if wait := time.Until(t0.Add(at)); wait > 0 {
				timer.Reset(wait)
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-timer.C:
				}
			}
			before := time.Now()
			if err := writeTag(stream, uint32(at/time.Millisecond), t); err != nil {
				return err
			}
			p.Health.record(before.Sub(t0.Add(at)), time.Since(before))
			if p.Sent != nil {
				p.Sent.Add(int64(len(t.Data)))
			}
		}
	}
}

// writeTag sends one FLV tag as the RTMP message of the same type; audio
// has a chunk stream of its own so it does not wait behind video chunks.
func writeTag(stream *gortmp.Stream, ts uint32, t Tag) error {
	var msg message.Message
	csid := 6
	switch t.Type {
	case TagVideo:
		msg = &message.VideoMessage{Payload: bytes.NewReader(t.Data)}
	case TagAudio:
		msg, csid = &message.AudioMessage{Payload: bytes.NewReader(t.Data)}, 4
	default:
		// Script data is published as @setDataFrame(onMetaData, {...}).
		msg = &message.DataMessage{Name: "@setDataFrame", Encoding: message.EncodingTypeAMF0, Body: bytes.NewReader(t.Data)}
	}
	return stream.Write(csid, ts, msg)
}

// quietLogger silences go-rtmp's logrus output; the benchmarks report
// failures themselves.
var quietLogger = func() *logrus.Logger {
	l := logrus.New()
	l.Out = io.Discard
	// CreateStream logs the chunk size change through logrus' global logger.
	logrus.SetLevel(logrus.WarnLevel)
	return l
}()
