package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/gortsplib/v4/pkg/liberrors"
	"github.com/pion/rtp"
)

// rtspPublisher records the sample to rtsp://ADDR/NAME (ANNOUNCE, SETUP,
// RECORD) and sends its RTP packets at the pace of their DTS, looping with
// advancing timestamps.
type rtspPublisher struct {
	url       string
	transport gortsplib.Transport
	smp       *rtspSample
	sent      *atomic.Int64 // RTP bytes handed to the client (header + payload)
	dropped   *atomic.Int64 // packets the client's write queue refused
}

// run publishes until ctx ends; a nil error means ctx ended.
func (p *rtspPublisher) run(ctx context.Context) error {
	vf, af := p.smp.formats()
	vm := &description.Media{Type: description.MediaTypeVideo, Formats: []format.Format{vf}}
	am := &description.Media{Type: description.MediaTypeAudio, Formats: []format.Format{af}}
	c := &gortsplib.Client{Transport: &p.transport}
	if err := c.StartRecording(p.url, &description.Session{Medias: []*description.Media{vm, am}}); err != nil {
		return fmt.Errorf("rtsp record %s: %w", p.url, err)
	}
	defer c.Close()
	err := p.send(ctx, c, vm, am, af.ClockRate())
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// send writes the units in a loop. Each track's sequence numbers and
// timestamps start at random values, as RFC 3550 asks.
func (p *rtspPublisher) send(ctx context.Context, c *gortsplib.Client, vm, am *description.Media, audioHz int) error {
	seq := [2]uint16{uint16(rand.Uint32()), uint16(rand.Uint32())}
	base := [2]uint32{rand.Uint32(), rand.Uint32()}
	clock := [2]int64{tsHz, int64(audioHz)}
	medias := [2]*description.Media{am, vm}
	start := time.Now()
	t := time.NewTicker(tick)
	defer t.Stop()
	for loop := int64(0); ; loop++ {
		offset := time.Duration(loop) * p.smp.length
		for _, u := range p.smp.units {
			for time.Since(start) < offset+u.at {
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-t.C:
				}
			}
			k := 0
			if u.video {
				k = 1
			}
			ts := base[k] + uint32(int64(offset)*clock[k]/int64(time.Second)) + u.ts
			for _, tmpl := range u.packets {
				pkt := &rtp.Packet{Header: tmpl.Header, Payload: tmpl.Payload}
				pkt.SequenceNumber = seq[k]
				pkt.Timestamp += ts
				seq[k]++
				if err := c.WritePacketRTP(medias[k], pkt); err != nil {
					var full liberrors.ErrClientWriteQueueFull
					if !errors.As(err, &full) {
						return err
					}
					p.dropped.Add(1)
					continue
				}
				p.sent.Add(int64(pkt.MarshalSize()))
			}
		}
	}
}

// parseTransport maps -rtsp-transport to gortsplib's.
func parseTransport(s string) (gortsplib.Transport, error) {
	switch s {
	case "tcp":
		return gortsplib.TransportTCP, nil
	case "udp":
		return gortsplib.TransportUDP, nil
	}
	return 0, fmt.Errorf("-rtsp-transport: %q: want tcp or udp", s)
}
