package rtmp

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"streamhive/media"
	"streamhive/media/hub"
)

// tagWriter writes one RTMP message of a publication: a push's own
// chunking (pushWriter) or a play connection's (playWriter).
type tagWriter interface {
	writeTag(typeID uint8, ts uint32, body []byte) error
}

// pushSender turns a hub consumer's frames into RTMP messages. It belongs
// to the sending goroutine: a push's, or a play connection's.
type pushSender struct {
	tw      tagWriter
	player  bool      // metadata as a player's writer takes it: the object, without names
	tags    *tagCache // a player's: the tag bodies its server shares among viewers; nil builds them here
	version uint64
	started bool
	tracks  map[int]media.Track // the tracks pushed, by ID
	origin  time.Duration       // DTS of the first frame: RTMP time 0
	buf     []byte
}

// sendFrames sends first and then every frame src yields, until ctx ends
// or a read or write fails.
func sendFrames(ctx context.Context, tw tagWriter, src Source, first *media.Frame) error {
	return (&pushSender{tw: tw, origin: first.DTS}).run(ctx, src, first)
}

// run sends first and then every frame src yields.
func (s *pushSender) run(ctx context.Context, src Source, first *media.Frame) error {
	f := first
	for {
		if t := src.Tracks(); !s.started || t.Version != s.version {
			if err := s.setTracks(t); err != nil {
				return err
			}
		}
		if err := s.send(f); err != nil {
			return err
		}
		var err error
		if f, err = src.Read(ctx); err != nil {
			return err
		}
	}
}

// setTracks sends the metadata and sequence headers for the first track
// list, and the changed sequence headers of a later one with the same
// codecs. A change of codecs ends the push (ErrTracksChanged): RTMP
// receivers take a new codec only on a new publication.
func (s *pushSender) setTracks(t *hub.Tracks) error {
	next := carried(t.List)
	if len(next) == 0 {
		return fmt.Errorf("no H.264 or AAC track to push: %w", media.ErrUnsupportedCodec)
	}
	if s.started && !sameTrackIDs(s.tracks, next) {
		return ErrTracksChanged
	}
	if !s.started {
		names := []string{"@setDataFrame", "onMetaData"}
		if s.player {
			names = nil
		}
		md, err := metadata(slices.Collect(maps.Values(next)), names...)
		if err != nil {
			return err
		}
		if err := s.tw.writeTag(msgDataAMF0, 0, md); err != nil {
			return err
		}
	}
	ts := s.timestamp(0)
	for _, id := range slices.Sorted(maps.Keys(next)) {
		tr := next[id]
		if old, ok := s.tracks[id]; s.started && ok && sameConfig(old, tr) {
			continue
		}
		typeID, body := sequenceHeader(tr)
		if err := s.tw.writeTag(typeID, ts, body); err != nil {
			return err
		}
	}
	s.tracks, s.version, s.started = next, t.Version, true
	return nil
}

// carried returns the tracks of list a push carries, by ID: the first
// pushable video track and the first pushable audio track. An RTMP
// publication has one of each; interleaving the frames of two video
// tracks in it would hand the receiver two pictures per instant under
// one decoder. Which rendition goes is the caller's choice: it orders or
// filters the list.
func carried(list []media.Track) map[int]media.Track {
	out := map[int]media.Track{}
	have := map[media.Kind]bool{}
	for _, tr := range list {
		if k := tr.Codec.Kind(); pushable(tr) && !have[k] {
			have[k] = true
			out[tr.ID] = tr
		}
	}
	return out
}

// send writes one frame of a pushed track; others are skipped.
func (s *pushSender) send(f *media.Frame) error {
	tr, ok := s.tracks[f.Track]
	if !ok || f.DTS < s.origin {
		// Not pushed, or older than the first frame (audio a little
		// ahead of the first keyframe): at RTMP time 0 it would repeat a
		// timestamp, which receivers' muxers refuse or mend.
		return nil
	}
	var typeID uint8
	var body []byte
	if s.tags != nil {
		typeID, body = s.tags.get(tr, f)
	} else {
		typeID, body = appendFrameTag(s.buf[:0], tr, f)
		s.buf = body
	}
	return s.tw.writeTag(typeID, s.timestamp(f.DTS-s.origin), body)
}

// timestamp is RTMP's millisecond time for an offset from the first
// frame; a negative offset gets 0 rather than a wrapped value.
func (s *pushSender) timestamp(d time.Duration) uint32 {
	return uint32(max(d, 0) / time.Millisecond)
}

func csidFor(typeID uint8) byte {
	switch typeID {
	case msgAudio:
		return csidAudio
	case msgDataAMF0:
		return csidData
	default:
		return csidVideo
	}
}

func sameTrackIDs(a, b map[int]media.Track) bool {
	if len(a) != len(b) {
		return false
	}
	for id, t := range a {
		if u, ok := b[id]; !ok || u.Codec != t.Codec {
			return false
		}
	}
	return true
}

func sameConfig(a, b media.Track) bool {
	return bytes.Equal(a.SPS, b.SPS) && bytes.Equal(a.PPS, b.PPS) && bytes.Equal(a.AudioConfig, b.AudioConfig)
}
