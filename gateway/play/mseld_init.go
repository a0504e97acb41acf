package play

import (
	"encoding/binary"
	"encoding/json"
	"strconv"

	"streamhive/media"
	"streamhive/media/codec"
	"streamhive/media/segment"
)

// The segmenter writes every track's CMAF init and fragments as track 1:
// HLS and DASH fetch each on its own. Flussonic's MSE player routes a
// binary message to a SourceBuffer by the track_ID of its tfhd, so MSE-LD
// numbers a track Track.ID+1 (its position in the init message's metadata,
// as that player also reads it) and patches the four bytes on the way out.

// mseTrackID is the track_ID MSE-LD gives stream track id.
func mseTrackID(id int) uint32 { return uint32(id) + 1 }

// childBox finds the first box of type typ among the boxes laid end to end
// in b[from:to]; it returns the box's start and end, or ok false. Sizes
// are checked against the bounds: a box that overruns them ends the walk.
func childBox(b []byte, from, to int, typ string) (start, end int, ok bool) {
	for off := from; off+8 <= to; {
		size := int(binary.BigEndian.Uint32(b[off:]))
		if size < 8 || off+size > to {
			return 0, 0, false
		}
		if string(b[off+4:off+8]) == typ {
			return off, off + size, true
		}
		off += size
	}
	return 0, 0, false
}

// boxPath walks nested boxes of b (container boxes, whose children start
// right after their 8-byte header) and returns the last one's bounds.
func boxPath(b []byte, path ...string) (start, end int, ok bool) {
	from, to := 0, len(b)
	for i, typ := range path {
		if start, end, ok = childBox(b, from, to, typ); !ok {
			return 0, 0, false
		}
		if i < len(path)-1 {
			from, to = start+8, end
		}
	}
	return start, end, true
}

// tfhdTrackIDAt returns the offset of the track_ID in the tfhd of a
// fragment (moof+mdat); ok false when it has none.
func tfhdTrackIDAt(frag []byte) (int, bool) {
	start, end, ok := boxPath(frag, "moof", "traf", "tfhd")
	if !ok || end-start < 16 {
		return 0, false
	}
	return start + 12, true
}

// initWithTrackID returns a copy of a one-track CMAF init segment whose
// tkhd and trex name track id; the init as it is when it lacks them.
func initWithTrackID(init []byte, id uint32) []byte {
	out := append([]byte(nil), init...)
	if s, e, ok := boxPath(out, "moov", "trak", "tkhd"); ok && e-s >= 32 {
		at := s + 12 + 8 // version 0: creation and modification times are 32-bit
		if out[s+8] == 1 {
			at = s + 12 + 16
		}
		binary.BigEndian.PutUint32(out[at:], id)
	}
	if s, e, ok := boxPath(out, "moov", "mvex", "trex"); ok && e-s >= 16 {
		binary.BigEndian.PutUint32(out[s+12:], id)
	}
	return out
}

// mseInit is the "mse_init_segment" message: the init segment of each
// track the viewer gets, and the stream's tracks as metadata.
type mseInit struct {
	Type     string         `json:"type"`
	Tracks   []mseInitTrack `json:"tracks"`
	Metadata mseMetadata    `json:"metadata"`
}

type mseInitTrack struct {
	ID      uint32 `json:"id"`
	Content string `json:"content"`
	// Codecs is the RFC 6381 codec string a SourceBuffer is created with
	// (Flussonic's player assumes one; ours reads it).
	Codecs  string `json:"codecs,omitempty"`
	Payload []byte `json:"payload"` // base64, as encoding/json writes bytes
}

// mseMetadata lists every track of the stream; tracks[id-1] is the one an
// init track's id names.
type mseMetadata struct {
	Tracks []mseTrackInfo `json:"tracks"`
}

type mseTrackInfo struct {
	TrackID    string `json:"track_id"` // v1, a1, ...
	Content    string `json:"content"`
	Codec      string `json:"codec"`
	Width      int    `json:"width,omitempty"`
	Height     int    `json:"height,omitempty"`
	SampleRate int    `json:"sample_rate,omitempty"`
	Channels   int    `json:"channels,omitempty"`
}

// initMessage encodes the mse_init_segment message for the tracks ids of
// in (the epoch whose fragments follow).
func initMessage(in *segment.Init, ids []int) ([]byte, error) {
	msg := mseInit{Type: "mse_init_segment", Metadata: mseMetadata{Tracks: trackInfos(in.Tracks)}}
	for _, id := range ids {
		t := in.Tracks[id]
		cs, _ := codec.String(t) // empty: the player falls back to a default
		msg.Tracks = append(msg.Tracks, mseInitTrack{
			ID: mseTrackID(id), Content: string(t.Codec.Kind()), Codecs: cs,
			Payload: initWithTrackID(in.CMAF[id], mseTrackID(id)),
		})
	}
	return json.Marshal(msg)
}

// trackInfos describes tracks, numbering each kind from 1 as track
// selection (v1a1) names them.
func trackInfos(tracks []media.Track) []mseTrackInfo {
	infos := make([]mseTrackInfo, 0, len(tracks))
	count := map[media.Kind]int{}
	for _, t := range tracks {
		k := t.Codec.Kind()
		count[k]++
		info := mseTrackInfo{Content: string(k), Codec: string(t.Codec), Width: t.Width, Height: t.Height}
		if k == media.KindAudio {
			info.SampleRate, info.Channels = t.SampleRate, t.Channels
		}
		if len(k) > 0 {
			info.TrackID = string(k[0]) + strconv.Itoa(count[k])
		}
		infos = append(infos, info)
	}
	return infos
}

// mseEvent is an event message: paused, resumed, switched_to_live,
// tracks_switched.
func mseEvent(name string) []byte {
	b, _ := json.Marshal(struct {
		Type  string `json:"type"`
		Event string `json:"event"`
	}{"event", name})
	return b
}
