package whep

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"

	"streamhive/media"
	"streamhive/media/hub"
	"streamhive/protocols/pionrtc"
)

// rtpHeaderSize is what each packet adds to its payload on the wire,
// counted in the bytes a session reports (SRTP's tag aside).
const rtpHeaderSize = 12

// outTrack is one of a viewer's tracks as it writes them: only the header
// is the viewer's own.
type outTrack struct {
	local *webrtc.TrackLocalStaticRTP
	clock int    // Hz
	seq   uint16 // next sequence number
	base  uint32 // random timestamp origin (RFC 3550)
	pack  func(*media.Frame, media.Track) [][]byte
}

func newOutTrack(local *webrtc.TrackLocalStaticRTP, clock int, pack func(*media.Frame, media.Track) [][]byte) *outTrack {
	var b [6]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return &outTrack{
		local: local, clock: clock, pack: pack,
		seq: binary.BigEndian.Uint16(b[:2]), base: binary.BigEndian.Uint32(b[2:]),
	}
}

// send waits for the connection, then writes the consumer's frames until
// the session ends.
func (sess *session) send() {
	select {
	case <-sess.connected:
	case <-sess.ctx.Done():
		return
	}
	var video, audio *outTrack
	if sess.video != nil {
		video = newOutTrack(sess.video, pionrtc.VideoClockRate, packH264)
	}
	if sess.audio != nil {
		audio = newOutTrack(sess.audio, pionrtc.OpusClockRate, packOpus)
	}
	frames := sess.v.Frames
	var tracks *hub.Tracks
	videoID, audioID := -1, -1
	waitKey := false // video skips to a keyframe after a PLI
	for {
		f, err := frames.Read(sess.ctx)
		if err != nil {
			if errors.Is(err, hub.ErrClosed) {
				sess.end(ErrStreamEnded)
			}
			return
		}
		if t := frames.Tracks(); t != tracks {
			tracks = t
			videoID, audioID = sess.v.Select.pick(t.List)
		}
		out := audio
		if f.Track == videoID {
			if sess.keyframeAsked.Swap(false) {
				waitKey = true
			}
			if waitKey && !f.Keyframe {
				continue
			}
			waitKey = false
			out = video
		} else if f.Track != audioID {
			continue
		}
		if out == nil {
			continue
		}
		tr, _ := trackOf(tracks.List, f.Track)
		if err := sess.write(out, f, tr); err != nil {
			sess.end(err)
			return
		}
	}
}

// write sends f's shared payloads with out's header. The marker bit
// ends a video access unit (audio leaves it clear: no talkspurts).
func (sess *session) write(out *outTrack, f *media.Frame, tr media.Track) error {
	ps := sess.srv.cache.get(f, func(f *media.Frame) [][]byte { return out.pack(f, tr) })
	ts := out.base + uint32(int64(f.PTS)*int64(out.clock)/int64(time.Second))
	n := 0
	for i, p := range ps {
		pkt := rtp.Packet{
			Header:  rtp.Header{Version: 2, Marker: out.clock == pionrtc.VideoClockRate && i == len(ps)-1, SequenceNumber: out.seq, Timestamp: ts},
			Payload: p,
		}
		out.seq++
		if err := out.local.WriteRTP(&pkt); err != nil {
			if errors.Is(err, context.Canceled) {
				return err
			}
			continue // one viewer's write error: its transport is going; the state change ends it
		}
		n += len(p) + rtpHeaderSize
	}
	if sess.v.Sent != nil && n > 0 {
		sess.v.Sent(n)
	}
	return nil
}
