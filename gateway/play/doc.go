// Package play serves a stream's playback outputs over HTTP (fasthttp):
// HLS, LL-HLS, DASH, continuous MPEG-TS and a JPEG preview, at Flussonic's
// URLs. Every path is /NAME/FILE, where NAME may itself contain slashes
// ("live/bunny") and FILE is the last path element:
//
//	index.m3u8              master playlist, one variant of muxed MPEG-TS (mono.m3u8)
//	index.fmp4.m3u8         master playlist, fMP4: video variant, audio as EXT-X-MEDIA
//	index.ll.m3u8           LL-HLS master playlist, fMP4 (track-T.ll.m3u8)
//	mono.m3u8, mono.ll.m3u8           MPEG-TS media playlist, all tracks muxed
//	track-T.m3u8, track-T.ll.m3u8     fMP4 media playlist of track T
//	video.m3u8              MPEG-TS media playlist of the first video and audio
//	                        track, for set-top boxes (tracks.go)
//	tracks-SEL/index.m3u8, tracks-SEL/mono[.ll].m3u8, tracks-SEL/seg-*.ts
//	                        track selection (SEL: v1a1, a2, ...): the TS of only
//	                        those tracks (tracks.go)
//	seg-*.ts, seg-*.m4s, init-*.mp4   segments, LL-HLS parts and init segments
//	                        (names of hls.DefaultNames)
//	dash-seg-*.m4s, dash-init-*.mp4   the same CMAF segments and inits by the names
//	                        the MPD lists, so that a request says it is DASH's
//	index.mpd               DASH manifest (live profile, SegmentTimeline, CMAF)
//	mpegts                  continuous MPEG-TS over one HTTP response
//	mse_ld                  MSE-LD: a WebSocket of CMAF fragments per track (mseld.go)
//	preview.jpg             the latest keyframe as a JPEG; preview.mp4 the newest
//	                        segment's first part as MP4
//	media_info.json, info.json        the stream's tracks, its public status (info.go)
//	index.json              the abstract manifest: the window's segments in periods,
//	                        each segment at live-DTS.ts (index.go)
//	images-WxH/...          thumbnails and their image playlist (thumbnails on)
//	embed.html              the embed player page (gateway/web; assets under web.AssetPrefix)
//
// Why index.m3u8 is MPEG-TS: it is what Flussonic's index.m3u8 serves, so
// existing players keep working; one muxed variant costs one request per
// segment instead of two, and hls.js (which transmuxes TS) and Safari (which
// plays TS natively) both play it without alternate-rendition audio sync.
// fMP4 is the format of LL-HLS (index.ll.m3u8), which is where CMAF parts
// pay off, and of DASH; index.fmp4.m3u8 offers the same fMP4 tracks as
// regular HLS.
//
// Outputs and statuses:
//   - Unknown stream: 404. An output the stream's `protocols` directive turns
//     off: 403 (the stream exists; this output of it is forbidden), code
//     "protocol_disabled". Errors use the Control API's error_response shape.
//   - A stream that is configured but has not produced a segment yet: the
//     playlist and manifest endpoints wait up to Options.ReadyTimeout for
//     its first segment (LL-HLS playlists: its first part, so that a viewer
//     starts one part duration after the publisher's first keyframe), then
//     answer 503 with Retry-After, never an empty playlist.
//   - LL-HLS blocking playlist reload (_HLS_msn, _HLS_part, RFC 8216bis
//     6.2.5.2) waits for the segment or part through live.Stream.Wait and
//     answers as soon as it exists; a request beyond what the RFC lets a
//     client ask for (more than two segments past the last one, or a part
//     past the Advance Part Limit) is 400 at once, and so is _HLS_part
//     without _HLS_msn. A wait is bounded by three target durations, after
//     which the answer is 503 with Retry-After.
//   - A segment or part that does not exist yet but may soon (the preload
//     hint) blocks the same way; one that has left the window, or that is
//     too far ahead to wait for, is 404. A segment of a stream that is not
//     producing is 503 at once.
//
// Viewer sessions: with Options.Gate set, every playback request (after
// the stream is found and its output allowed, before anything waits) is
// put to the Gate as a sessions.Viewer: the stream, the protocol as
// Flussonic's auth requests name it (hls, dash, mpegts, mse_ld, mp4, jpeg,
// api),
// the connection's address (no proxy header is trusted), the token (the
// auth_token query key, "token" by default), the raw query, User-Agent,
// Referer, and whether it is an archive URL. A denied viewer gets 403
// (code "forbidden"), a redirected one 302 to the backend's Location. An
// admitted request reports the bytes it sends to its session's Ticket;
// continuous MPEG-TS and archive downloads stop when the session ends
// (a kick, a ban), and continuous MPEG-TS and MSE-LD close their
// sessions when they stop. The session's query (Admission.ChildQuery) is spliced into every
// URI a playlist or MPD lists, live and archive, so that a player's
// child requests find their session; a viewer without one gets the very
// bytes a handler without sessions serves (childquery.go).
//
// Every answer carries Access-Control-Allow-Origin: * (browser players on
// other origins); OPTIONS answers CORS preflights. Playlists and manifests
// are Cache-Control: no-cache; segments, which never change once published,
// are cacheable.
//
// Hot path: a request reads the segmenter's immutable Window snapshot and
// sends a segment's bytes without copying them; rendered playlists are
// cached per Window version, so viewers woken by the same part share one
// rendering, and a session's query is spliced into it per request (a
// copy, not a rendering). Nothing here sends an actor message: a known
// session's Admit is a registry lookup.
//
// Continuous MPEG-TS (/NAME/mpegts) is cut from the same segments: the
// segmenter's TS parts are the stream's one TS multiplex (continuity
// counters run on from part to part), so the response is the parts
// concatenated, starting at the latest keyframe, each sent as soon as it
// is published. Nothing is packaged twice. A response ends when its client
// leaves (or stops reading for 15 s) or the stream publishes nothing for
// 10 s; when the stream's segmenter is replaced, it follows the new one.
//
// Handler.Close ends those responses and every wait; call it before the
// HTTP server's Shutdown, which otherwise waits for them.
//
// Streams are found and served through gateway/live: a Locator finds a
// stream by name, and its live.Stream (a window snapshot, bytes, a blocking
// wait, a preview) is all the handlers use, so a stream that runs on
// another node is served like a local one. This package imports
// gateway/live and media, and the seams of actors/sessions (Gate) and
// actors/auth (Verdict); never protocols or supervision.
package play
