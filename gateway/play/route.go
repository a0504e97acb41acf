package play

import (
	"errors"
	"strings"

	"streamhive/gateway/web"
	"streamhive/media/hls"
)

// kind is what a request's last path element asks for.
type kind int

const (
	kindMaster        kind = iota // a master playlist
	kindMedia                     // a media playlist
	kindSegment                   // a segment, part or init segment
	kindMPD                       // the DASH manifest
	kindMPEGTS                    // continuous MPEG-TS
	kindPreview                   // the JPEG preview
	kindArchive                   // an archive (DVR) URL: arc says which
	kindMediaInfo                 // media_info.json
	kindInfo                      // info.json
	kindPreviewMP4                // preview.mp4
	kindIndexJSON                 // index.json, the abstract manifest (index.go)
	kindLiveDTS                   // live-DTS.ts, a segment index.json lists: dts says which
	kindImage                     // a thumbnail of the image track: thumb says which
	kindImagePlaylist             // the image media playlist of a box: thumb.w, thumb.h
	kindEmbed                     // the embed player page (gateway/web)
	kindMSELD                     // MSE-LD over a WebSocket
)

// route is a parsed request path.
type route struct {
	name string // the stream, "live/bunny"
	kind kind

	// Playlists: format, low latency and (FMP4 media) track.
	format     hls.Format
	lowLatency bool
	track      int
	skip       bool // a delta update of a low-latency media playlist (_HLS_skip)
	// tracks is a track selection ("v1a1": the tracks-v1a1/ path element,
	// tracks.go); "" for all tracks.
	tracks string
	stb    bool // video.m3u8: the set-top box selection (tracks.go)

	ref hls.Ref // kindSegment
	// dash: a CMAF segment or init by its DASH name (dash-..., which the
	// MPD lists), so that its request names the protocol its player
	// speaks; the bare name is HLS's.
	dash bool

	arc   archiveRoute // kindArchive
	thumb thumbRoute   // kindImage
	dts   int64        // kindLiveDTS: the segment's first frame, UTC ms
}

// errNoRoute: the path names nothing this package serves.
var errNoRoute = errors.New("play: no such resource")

// parsePath splits /NAME/FILE at the last slash and parses FILE. path is
// fasthttp's normalized, decoded path.
func parsePath(path string) (route, error) {
	i := strings.LastIndexByte(path, '/')
	if i <= 1 || path[0] != '/' {
		return route{}, errNoRoute
	}
	if j := strings.LastIndexByte(path[:i], '/'); j > 1 {
		if t, ok := parseThumbnail(path[j+1:i], path[i+1:]); ok {
			return route{name: path[1:j], kind: kindImage, thumb: t}, nil
		}
		if r, isSel, ok := parseTracksDir(path[j+1:i], path[i+1:]); isSel {
			if !ok {
				return route{}, errNoRoute
			}
			r.name = path[1:j]
			return r, nil
		}
		if t, ok := parseImagePlaylist(path[j+1:i], path[i+1:]); ok {
			return route{name: path[1:j], kind: kindImagePlaylist, thumb: t}, nil
		}
	}
	r, err := parseFile(path[i+1:])
	r.name = path[1:i]
	return r, err
}

// parseFile parses the last path element.
func parseFile(file string) (route, error) {
	switch file {
	case "index.m3u8":
		return route{kind: kindMaster, format: hls.TS}, nil
	case "index.fmp4.m3u8":
		return route{kind: kindMaster, format: hls.FMP4}, nil
	case "index.ll.m3u8":
		return route{kind: kindMaster, format: hls.FMP4, lowLatency: true}, nil
	case "video.m3u8":
		return route{kind: kindMedia, format: hls.TS, stb: true}, nil
	case "index.mpd", "Manifest.mpd": // Flussonic's players use either name
		return route{kind: kindMPD}, nil
	case "mpegts":
		return route{kind: kindMPEGTS}, nil
	case "preview.jpg":
		return route{kind: kindPreview}, nil
	case "embed.html":
		return route{kind: kindEmbed}, nil
	case "mse_ld":
		return route{kind: kindMSELD}, nil
	case "preview.mp4":
		return route{kind: kindPreviewMP4}, nil
	case "media_info.json":
		return route{kind: kindMediaInfo}, nil
	case "index.json":
		return route{kind: kindIndexJSON}, nil
	case "info.json":
		return route{kind: kindInfo}, nil
	}
	if r, ok := parseMediaPlaylist(file); ok {
		return r, nil
	}
	if a, ok := parseArchive(file); ok {
		return route{kind: kindArchive, arc: a}, nil
	}
	if dts, ok := parseLiveDTS(file); ok {
		return route{kind: kindLiveDTS, format: hls.TS, dts: dts}, nil
	}
	name, dash := strings.CutPrefix(file, dashPrefix)
	ref, err := hls.ParseName(name)
	if err != nil || dash && (ref.Format != hls.FMP4 || ref.Part >= 0) {
		return route{}, errNoRoute
	}
	return route{kind: kindSegment, format: ref.Format, ref: ref, track: ref.Track, dash: dash}, nil
}

// parseMediaPlaylist reads the media playlist names of hls.DefaultNames:
// mono[.ll].m3u8 and track-T[.ll].m3u8.
func parseMediaPlaylist(file string) (route, bool) {
	base, ok := strings.CutSuffix(file, ".m3u8")
	if !ok {
		return route{}, false
	}
	r := route{kind: kindMedia}
	base, r.lowLatency = strings.CutSuffix(base, ".ll")
	if base == "mono" {
		r.format = hls.TS
		return r, true
	}
	t, ok := strings.CutPrefix(base, "track-")
	n, err := atoiCanon(t)
	if !ok || err != nil {
		return route{}, false
	}
	r.format, r.track = hls.FMP4, n
	return r, true
}

// protocol returns the `protocols` name that switches r's output, and for
// an fMP4 segment a second one that also serves it (DASH shares HLS's CMAF
// segments); "" when there is none.
func (r route) protocol() (string, string) {
	switch r.kind {
	case kindMaster, kindMedia, kindImagePlaylist:
		return ProtoHLS, ""
	case kindSegment:
		switch {
		case r.dash:
			return ProtoDASH, ""
		case r.format == hls.FMP4:
			return ProtoHLS, ProtoDASH
		}
		return ProtoHLS, ""
	case kindMPD:
		return ProtoDASH, ""
	case kindMPEGTS:
		return ProtoTSHTTP, ""
	case kindArchive:
		return r.arc.protocol()
	case kindEmbed:
		return web.ProtoPage, ""
	case kindMSELD:
		return ProtoMSELD, ""
	case kindMediaInfo, kindInfo, kindIndexJSON:
		return protoAPI, ""
	case kindLiveDTS:
		return ProtoHLS, ""
	case kindPreviewMP4:
		return protoMP4, ""
	default:
		return ProtoJPEG, ""
	}
}
