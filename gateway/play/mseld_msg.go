package play

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"streamhive/media"
)

// Bounds of what an MSE-LD client sends: its commands are a few words, a
// track list a handful of tracks.
const (
	mseMaxMessage = 256 // bytes of one client message
	mseMaxTracks  = 8   // entries of one track list ("v1a1")
)

// mseCmd is what a client message asks of an MSE-LD connection.
type mseCmd int

const (
	mseResume    mseCmd = iota // "resume": send media (again), from the live edge
	msePause                   // "pause": stop sending media
	mseLive                    // "" or "play_from=live": go to the live edge
	mseSetTracks               // "set_tracks=v1a1": switch tracks
	msePlayFrom                // "play_from=UTC": a time in the archive
)

// mseMsg is one parsed client message.
type mseMsg struct {
	cmd    mseCmd
	tracks []trackRef // mseSetTracks
	from   int64      // msePlayFrom: Unix seconds
}

// trackRef names a track as Flussonic's players do: a kind ('v' video,
// 'a' audio) and a 1-based number among the stream's tracks of that kind.
type trackRef struct {
	kind media.Kind
	n    int
}

// errBadMessage: a client message this server does not understand.
var errBadMessage = errors.New("mse_ld: bad client message")

// parseMSEMessage parses one text message of the protocol Flussonic's MSE
// player speaks over the socket.
func parseMSEMessage(b []byte) (mseMsg, error) {
	if len(b) > mseMaxMessage || !utf8.Valid(b) {
		return mseMsg{}, errBadMessage
	}
	s := strings.TrimSpace(string(b))
	switch s {
	case "resume":
		return mseMsg{cmd: mseResume}, nil
	case "pause":
		return mseMsg{cmd: msePause}, nil
	case "", "play_from=live":
		return mseMsg{cmd: mseLive}, nil
	}
	if v, ok := strings.CutPrefix(s, "set_tracks="); ok {
		refs, err := parseTrackList(v)
		if err != nil {
			return mseMsg{}, err
		}
		return mseMsg{cmd: mseSetTracks, tracks: refs}, nil
	}
	if v, ok := strings.CutPrefix(s, "play_from="); ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return mseMsg{}, errBadMessage
		}
		return mseMsg{cmd: msePlayFrom, from: n}, nil
	}
	return mseMsg{}, errBadMessage
}

// parseTrackList parses "v1a1", "a2", "v2": kinds and numbers, at most
// mseMaxTracks of them. Empty is an error: a viewer asks for something.
func parseTrackList(s string) ([]trackRef, error) {
	var refs []trackRef
	for len(s) > 0 {
		if len(refs) == mseMaxTracks {
			return nil, errBadMessage
		}
		var k media.Kind
		switch s[0] {
		case 'v':
			k = media.KindVideo
		case 'a':
			k = media.KindAudio
		default:
			return nil, errBadMessage
		}
		i := 1
		for i < len(s) && i < 4 && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		n, err := strconv.Atoi(s[1:i])
		if err != nil || n < 1 || s[1] == '0' {
			return nil, errBadMessage
		}
		refs = append(refs, trackRef{kind: k, n: n})
		s = s[i:]
	}
	if len(refs) == 0 {
		return nil, errBadMessage
	}
	return refs, nil
}

// selectTracks picks the IDs of the tracks a viewer gets, video first:
// per kind the one refs name (the last, if they name several); with refs
// nil the first video and the first audio track. MSE plays one track per
// kind; a ref to a track the stream lacks is an error.
func selectTracks(tracks []media.Track, refs []trackRef) ([]int, error) {
	want := map[media.Kind]int{}
	if refs == nil {
		want[media.KindVideo], want[media.KindAudio] = 1, 1
	}
	for _, r := range refs {
		want[r.kind] = r.n
	}
	var ids []int
	for _, k := range []media.Kind{media.KindVideo, media.KindAudio} {
		n, ok := want[k]
		if !ok {
			continue
		}
		id := nthOfKind(tracks, k, n)
		if id < 0 {
			if refs == nil {
				continue // a stream without audio (or video) plays what it has
			}
			return nil, errBadMessage
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return nil, errBadMessage
	}
	return ids, nil
}

// nthOfKind returns the ID of the n-th (1-based) track of kind k; -1 if
// there is none.
func nthOfKind(tracks []media.Track, k media.Kind, n int) int {
	for _, t := range tracks {
		if t.Codec.Kind() != k {
			continue
		}
		if n--; n == 0 {
			return t.ID
		}
	}
	return -1
}

// msgBucket is a token bucket over a client's messages: burst at once,
// then rate per second.
type msgBucket struct {
	rate, burst, tokens float64
	last                time.Time
}

func newMsgBucket(rate, burst int, now time.Time) *msgBucket {
	return &msgBucket{rate: float64(rate), burst: float64(burst), tokens: float64(burst), last: now}
}

// allow takes a token for a message that came at now; false when there
// is none left.
func (b *msgBucket) allow(now time.Time) bool {
	if d := now.Sub(b.last); d > 0 {
		b.tokens = min(b.burst, b.tokens+d.Seconds()*b.rate)
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
