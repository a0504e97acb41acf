package config

// The grammar table: every directive and option of the language, in one
// of three states. An operator must be able to tell, line by line, what
// the server does with their file.
//
//   - works: parsed into the model and acted on.
//   - refused: it protects something (auth, DRM, allow/deny lists,
//     passwords, tokens, TLS) and that protection is not built, so a
//     configuration that uses it is refused, naming its position
//     (protection.go): never run open what the operator protected.
//   - inactive: accepted but not active. It parses, prints back and goes
//     to and from API JSON (kept in the model, or as its text), and
//     Inactive reports it with its position and why; the server does not
//     act on it.
//
// Keys: a top-level directive by its name (vod); a directive inside a
// stream or template as "stream NAME" (both share them), inside a named
// dvr as "dvr NAME", inside a peer as "peer NAME"; an option of an input,
// push, transcoder or a stream's dvr line as "input KEY=", "push KEY=",
// "transcoder KEY=", "dvr KEY=" (a bare flag without the '='); an input
// URL scheme as "input SCHEME://", a push target's as "push SCHEME://".
// The protection entries keep the names their refusal gives.

// state is what the server does with a directive or option. The zero
// value refuses: a key missing from the table is not known to work.
type state int

const (
	refused state = iota
	works
	inactive
)

// entry is a table row: its state and, for inactive ones, why.
type entry struct {
	state state
	why   string
}

var (
	on         = entry{state: works}
	notBuilt   = entry{state: refused}
	notServed  = entry{state: inactive, why: "not built: nothing serves it"}
	notApplied = entry{state: inactive, why: "kept, but not applied"}
	noPuller   = entry{state: inactive, why: "no puller for this scheme: the input never starts"}
	noPusher   = entry{state: inactive, why: "no sender for this scheme: the push never starts"}
	// The transcoder's options the encoders are not given.
	encoderDefault = entry{state: inactive, why: "not built: the encoder's default applies"}
	audioKept      = entry{state: inactive, why: "not built: the audio keeps the source's volume"}
	// A camera's thumbnail URL: the thumbnails come from the keyframes.
	ownThumbnails = entry{state: inactive, why: "kept, but not applied: thumbnails come from the stream's keyframes"}
)

// pushSchemeEntries are the push target URL schemes: the push actor sends
// to rtmp(s), srt and udp; the others Flussonic documents are kept.
var pushSchemeEntries = map[string]entry{
	"push rtmp://": on, "push rtmps://": on, "push srt://": on, "push udp://": on,
	"push udp2://": noPusher, "push rtsp://": noPusher, "push rtsps://": noPusher,
	"push tshttp://": noPusher, "push http://": noPusher, "push https://": noPusher,
	"push file://": noPusher, "push hls://": noPusher, "push hlss://": noPusher,
	"push m4f://": noPusher, "push m4fs://": noPusher, "push m4s://": noPusher, "push m4ss://": noPusher,
	"push st2110://": noPusher, "push rtp://": noPusher, "push webrtc://": noPusher,
	"push whip://": noPusher, "push shoutcast://": noPusher, "push tcp://": noPusher,
	"push dektec://": noPusher, "push decklink://": noPusher,
}

// grammar is the table. Parse keeps a directive whose entry is inactive
// or refused as raw text (RawDirective) where the model has no field.
var grammar = join(protectionEntries, coreEntries, rawEntries, optionEntries, pushSchemeEntries)

// coreEntries are the directives the model holds and the server acts on.
var coreEntries = map[string]entry{
	"http": on, "https": on, "rtmp": on, "rtmps": on, "rtsp": on, "rtsps": on,
	"srt": on, "srt_publish": on, "srt_publish port": on, "srt_publish passphrase": on,
	"srt_publish latency": on, "srt_play": on, "srt_play port": on, "srt_play passphrase": on,
	"srt_play latency": on, "edit_auth": on, "view_auth": on, "cluster_key": on,
	"loglevel": on, "peer": on, "peer api_url": on, "peer cluster_key": on,
	"peer fetch_timeout": on, "cluster_etcd": on, "peer private_payload_url": on,
	"peer public_payload_url": on, "peer stale_timeout": notApplied,
	"peer cpu_limit": on, "peer channel_limit": on,
	"source": on, "source only": on, "source except": on, "source cluster_key": on,
	"dvr": on, "dvr root": on, "dvr disk": on, "dvr expiration": on, "dvr storage_limit": on,
	"dvr disk_usage_limit": on, "vod": on, "file": on, "vod storage": on, "vod path": on, "vod paths": on,
	"vod cache": on, "vod download": on, "vod auto_mbr": on, "vod segment_duration": on, "template": on, "template prefix": on, "stream": on,
	"stream title": on, "stream comment": on, "stream template": on,
	"stream input": on, "stream url": on, "stream source_timeout": on, "stream return_after": on,
	"stream error_threshold": on, "stream transcoder": on, "stream dvr": on, "stream push": on,
	"stream protocols": on, "stream segment_duration": on, "stream segment_count": on,
	"stream chunk_duration": on, "stream static": on, "stream disabled": on, "stream srt": on, "stream srt_play": on,
	"stream thumbnails": on, "thumbnails enabled=": on, "thumbnails size=": on,
	"thumbnails url=": ownThumbnails,
	"stream on_play":  on, "stream auth": on, "stream on_publish": on, "stream domains": on,
	"stream allowed_countries": on, "stream disallowed_countries": on, "stream max_sessions": on,
	"stream soft_limitation": on, "stream session_keys": on, "stream password": on,
	"ondemand": on, "stream cluster_ingest": on, "cluster_ingest capture_at=": on,
	"event_sink": on, "event_sink url": on, "event_sink only": on, "event_sink except": on,
	"event_sink throttle_delay": on, "event_sink resend_limit": on, "event_sink resend_timeout": on,
	"event_sink level": {inactive, "kept, but not applied: every event is sent whatever its level"},
}

// rawEntries are directives kept as their text: the model has no field
// for them because nothing acts on them yet.
var rawEntries = map[string]entry{
	// Top level.
	"plugin": notServed, "decklink": notServed,
	"admin_http": notServed, "cache": notServed, "iptv": notServed,
	"dvb_card": notServed, "transponder": notServed, "rproxy": notServed, "vsaas": notServed,
	"total_bandwidth": notApplied, "log_requests": notApplied, "pulsedb": notApplied,
	"session_log": notApplied, "meta": notApplied, "url_prefix": notApplied, "wwwroot": notServed,
	"nvidia_monitor": notApplied, "balancer": notServed, "http_proxy": notServed,
	"web_script": notServed, "vision": notServed, "chassis": notApplied,
	// Inside a vod (or file) location: playback settings nothing reads yet,
	// and the protections of its playback, refused.
	"vod thumbnails": notApplied, "vod protocols": notApplied,
	"vod timeout": notApplied, "vod read_queue": notApplied, "vod max_readers": notApplied,
	"vod segment_cache": notApplied, "vod add_audio_only": notApplied,
	"vod url_prefix": notApplied, "vod logo": notApplied, "vod provider": notApplied,
	"vod on_play": notBuilt, "vod auth": notBuilt, "vod drm": notBuilt,
	// Content protection that is not built: refused, not ignored. A
	// stream's `drm cpix` line is parsed (drm.go); another vendor's is kept
	// as this text and refused.
	"drm": notBuilt, "stream drm": notBuilt,
	// Inside a stream or template.
	"stream provider": notApplied, "stream clients_timeout": notApplied,
	"stream retry_limit": notApplied, "stream groups": notApplied,
	"stream silencedetect": notApplied, "stream motion_detector": notApplied,
	"stream backup": notApplied, "stream epg_enabled": notApplied, "stream logo": notApplied,
	"stream prepush": notApplied, "stream cmaf_enabled": notApplied,
	"stream dash_update_period": notApplied, "stream url_prefix": notApplied, "stream add_audio_only": notApplied,
	"stream substyle": notApplied, "stream webrtc_abr": notApplied, "stream mpegts_pids": notApplied,
	"stream labels": notApplied, "stream playback_headers": notApplied,
	"stream meta": notApplied, "stream pulse_off": notApplied,
	"stream output_audio": notApplied, "stream srt_publish": notServed,
	"stream dvr_offline": notApplied,
	// Inside a named dvr and a peer.
	// copy, replicate, replication_port and episodes_expiration are held
	// in the model (DVRKept) but nothing acts on them.
	"dvr copy": notApplied, "dvr replicate": notApplied, "dvr dvr_replicate": notApplied,
	"dvr copy=": notApplied, "dvr replication_port=": notApplied, "dvr episodes_expiration=": notApplied,
	"dvr expiration=": on, "dvr storage_limit=": on, "dvr disk_usage_limit=": on,
	"dvr replication_port": notApplied, "dvr episodes_expiration": notApplied,
	"dvr schedule": notApplied, "dvr dvr_offline": notApplied,
	"peer public": notApplied, "source dvr": notApplied, "source prefix": notApplied,
	"source group": notApplied, "source cache": notApplied, "source segment_duration": notApplied, "peer max_retries": notApplied,
}

// optionEntries are the options of an input, a push and the transcoder,
// and the input URL schemes.
var optionEntries = map[string]entry{
	"input backup": on, "input standby": on, "input priority=": on, "input source_timeout=": on,
	"input return_after=": on, "input error_threshold=": on,
	// Protocol options the pullers read.
	"input passphrase=": on, "input streamid=": on, "input mode=": on, "input pbkeylen=": on,
	"input latency=": on, "input rtp=": on, "input rtsp_tcp=": on, "input user_agent=": on,
	"input variant=": on, "input program=": on, "input chaos_panic=": on,
	"input tracks=":          {inactive, "not built: an input's tracks are all taken (a push's tracks= or the transcoder selects)"},
	"input via=":             {inactive, "not built: pullers connect directly"},
	"input frames_timeout=":  {inactive, "not built: source_timeout= is the time without frames that switches the input"},
	"input timeout=":         {inactive, "not built: each puller keeps its own read timeout; source_timeout= switches inputs"},
	"input connect_timeout=": {inactive, "not built: each puller keeps its own connect timeout"},
	"input headers=":         {inactive, "not built: HTTP pullers send no extra headers"},
	"input output_audio=":    {inactive, "not built: the audio passes as it comes; the transcoder's acodec= converts it"},
	"input aac_ab=":          {inactive, "not built: the audio passes as it comes; the transcoder's ab= sets its bitrate"},

	"push disabled": on, "push retry_limit=": on, "push retry_timeout=": on, "push tracks=": on,
	"push ttl=": on, "push multicast_if=": on, "push multicast_loop": on, "push multicast_loop=": on,
	"push streamid=": on, "push passphrase=": on, "push latency=": on, "push pbkeylen=": on,
	"push timeout=": notApplied, "push connect_timeout=": notApplied, "push vb=": notApplied,
	"push pnr=": notApplied, "push service_name=": notApplied, "push provider_name=": notApplied,

	"transcoder vb=": on, "transcoder size=": on, "transcoder preset=": on, "transcoder bframes=": on,
	"transcoder deinterlace": on, "transcoder deinterlace=": on, "transcoder logo=": on,
	"transcoder ab=": on, "transcoder acodec=": on, "transcoder hw=": on, "transcoder deviceid=": on,
	"transcoder fallback=": on, "transcoder fps=": on, "transcoder gop=": on,
	"transcoder deinterlace_rate=": on, "transcoder vcodec=": on, "transcoder profile=": on,
	"transcoder level=": encoderDefault, "transcoder refs=": encoderDefault, "transcoder sar=": encoderDefault,
	"transcoder threads=":   {inactive, "not built: each rendition encodes on one thread"},
	"transcoder open_gop=":  {inactive, "not built: every GOP is closed, so renditions switch at any keyframe"},
	"transcoder interlace=": {inactive, "not built: the transcoder makes progressive pictures"},
	"transcoder rc_method=": encoderDefault, "transcoder vbv_bufsize=": encoderDefault,
	"transcoder qp_range=":    encoderDefault,
	"transcoder resize_mode=": {inactive, "not built: the whole picture is scaled to size="},
	"transcoder crop=":        {inactive, "not built: the whole picture is scaled to size="},
	"transcoder ar=":          on, "transcoder ac=": on, "transcoder avol=": audioKept,
	"transcoder alang=":    {inactive, "not built: the first audio track is transcoded"},
	"transcoder burn=":     {inactive, "not built: only logo= is burnt in"},
	"transcoder alogo=":    {inactive, "not built: only logo= is burnt in"},
	"transcoder external=": {inactive, "not built: the transcoder runs inside the server"},
	"transcoder keep_ts=":  {inactive, "not built: the transcoder keeps the source's timestamps"},

	"input publish://": on, "input fake://": on, "input rtmp://": on, "input udp://": on,
	"input tshttp://": on, "input tshttps://": on, "input http://": on, "input https://": on,
	"input file://": on, "input vod://": on, "input srt://": on, "input rtsp://": on, "input rtsps://": on,
	"input hls://": on, "input hlss://": on, "input m4f://": on, "input m4fs://": on,
	"input rtmps://": noPuller, "input rtmpt://": noPuller, "input udp2://": noPuller,
	"input copy://": noPuller, "input playlist://": noPuller,
	"input m4s://": noPuller, "input m4ss://": noPuller,
	"input mixer://": noPuller, "input mosaic://": noPuller, "input timeshift://": noPuller,
	"input decklink://": noPuller, "input dektec://": noPuller, "input webrtc://": noPuller,
	"input whip://": noPuller, "input whep://": noPuller, "input shoutcast://": noPuller,
	"input rtp://": noPuller, "input st2110://": noPuller, "input ndi://": noPuller,
	"input v4l://": noPuller, "input sdi://": noPuller, "input h323://": noPuller,
	"input mpts-dvb://": noPuller, "input dvb://": noPuller, "input spts-dvb://": noPuller,
}

func join(tables ...map[string]entry) map[string]entry {
	out := map[string]entry{}
	for _, t := range tables {
		for k, e := range t {
			if _, dup := out[k]; dup {
				panic("config: grammar entry " + k + " twice")
			}
			out[k] = e
		}
	}
	return out
}

// known reports whether key is in the table, whatever its state.
func known(key string) bool {
	_, ok := grammar[key]
	return ok
}
