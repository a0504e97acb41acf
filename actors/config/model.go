// Package config is StreamHive's configuration model and the Flussonic
// configuration language: parser, printer, validator and Diff.
//
// The in-memory model is the Control API's JSON model
// (shared/flussonic-openapi/flussonic.yaml: server_config, stream_config,
// template_config, dvr_config), so the config file and the API are two views
// of one thing. JSON tags are the API's field names; values are in the API's
// units (segment_duration in milliseconds, expiration in seconds,
// storage_limit in bytes, bitrates in bits per second). The parser converts
// the file's units into these. The runtime stats that the API adds to its
// answers (a stream's stats, pushes[i].stats) are no part of the model: the
// actors report them and gateway/api writes them; a write that carries
// them has them ignored (keys.go).
//
// This package imports media only; it holds no actors.
package config

// Server is server_config: the whole configuration of one node.
type Server struct {
	Listeners  *Listeners   `json:"listeners,omitempty"`
	SRT        *ListenSpec  `json:"srt,omitempty"`         // `srt PORT;` (a play/publish listener)
	SRTPublish *SRTConfig   `json:"srt_publish,omitempty"` // `srt_publish { port N; passphrase ...; }`
	SRTPlay    *SRTConfig   `json:"srt_play,omitempty"`    // `srt_play { port N; ... }`: viewers routed by r=
	Loglevel   string       `json:"loglevel,omitempty"`    // none debug info notice warning error alert critical
	EditAuth   *Credentials `json:"edit_auth,omitempty"`
	ViewAuth   *Credentials `json:"view_auth,omitempty"`
	ClusterKey string       `json:"cluster_key,omitempty"`
	Peers      []Peer       `json:"peers,omitempty"`
	Sources    []Source     `json:"sources,omitempty"`
	// ClusterEtcd are the etcd endpoints of `cluster_etcd URL ...;`: the
	// cluster's membership comes from etcd instead of the peer lines. Ours:
	// Flussonic has no etcd.
	ClusterEtcd []string   `json:"cluster_etcd,omitempty"`
	DVRs        []DVR      `json:"dvrs,omitempty"`
	VODs        []VOD      `json:"vods,omitempty"` // VOD locations (model_vod.go)
	Templates   []Template `json:"templates,omitempty"`
	Streams     []Stream   `json:"streams"`

	// Viewer and publisher protection (model_auth.go).
	Protection

	// EventSinks are where events go (model_events.go).
	EventSinks []EventSink `json:"event_sinks,omitempty"`

	// Raw are top-level directives kept as text (raw.go).
	Raw []RawDirective `json:"raw_directives,omitempty"`

	// pos maps the JSON pointer of a global directive (/loglevel,
	// /listeners/http/0, ...) to where the parser read it, so Validate can
	// name a file position. Nil for a configuration that came from JSON.
	pos map[string]position
}

// Listeners is the listeners object: every listening port by protocol.
type Listeners struct {
	HTTP  []Listen `json:"http,omitempty"`
	HTTPS []Listen `json:"https,omitempty"`
	RTMP  []Listen `json:"rtmp,omitempty"`
	RTMPS []Listen `json:"rtmps,omitempty"`
	RTSP  []Listen `json:"rtsp,omitempty"`
	RTSPS []Listen `json:"rtsps,omitempty"`
}

// listenGroup is one protocol's listeners, by its directive name.
type listenGroup struct {
	name string
	list []Listen
}

// groups lists the listeners by protocol, in the file's order; none for nil.
func (l *Listeners) groups() []listenGroup {
	if l == nil {
		return nil
	}
	return []listenGroup{{"http", l.HTTP}, {"https", l.HTTPS}, {"rtmp", l.RTMP}, {"rtmps", l.RTMPS}, {"rtsp", l.RTSP}, {"rtsps", l.RTSPS}}
}

// Listen is listen_config: a port and an optional address
// (`http 8080;` or `http 127.0.0.1:18080;` in the file), and for the TLS
// listeners (https, rtmps, rtsps) listen_ssl_config.
type Listen struct {
	Port    int    `json:"port"`
	Address string `json:"address,omitempty"`
	// Certificate and CertificateKey are PEM files (TLS listeners only);
	// empty: the defaults next to the config file (model_auth.go).
	Certificate    string   `json:"certificate,omitempty"`
	CertificateKey string   `json:"certificate_key,omitempty"`
	SSLProtocols   []string `json:"ssl_protocols,omitempty"` // tlsv1.2, tlsv1.3
}

// Credentials is admin_credentials (edit_auth, view_auth).
type Credentials struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

// Peer is peer_config, from the `peer HOSTNAME { ... }` directive.
type Peer struct {
	Hostname   string `json:"hostname"`
	APIURL     string `json:"api_url,omitempty"`
	ClusterKey string `json:"cluster_key,omitempty"`
	// PublicPayloadURL is where viewers are sent for what the peer serves;
	// PrivatePayloadURL is where other nodes pull it (default: the API).
	PublicPayloadURL  string `json:"public_payload_url,omitempty"`
	PrivatePayloadURL string `json:"private_payload_url,omitempty"`
	// FetchTimeout is how often the peer is probed, in milliseconds
	// (0: 1000); StaleTimeout how long a stream the peer no longer reports
	// still counts for cluster_ingest, in milliseconds.
	FetchTimeout int `json:"fetch_timeout,omitempty"`
	StaleTimeout int `json:"stale_timeout,omitempty"`
	// CPULimit (percent of the machine) and ChannelLimit (streams) are
	// the peer's balancing limits: a node over its own line's limit sends
	// viewers to a member under its line's (0: no limit).
	CPULimit     int `json:"cpu_limit,omitempty"`
	ChannelLimit int `json:"channel_limit,omitempty"`
	// Raw are the peer's directives kept as text (raw.go).
	Raw []RawDirective `json:"raw_directives,omitempty"`
}

// Template is template_config: media options applied to streams whose names
// match one of Prefixes (or that name it in `template`).
type Template struct {
	Name     string   `json:"name"`
	Prefixes []string `json:"prefixes,omitempty"`
	MediaOptions

	pos position // where the parser read it; zero when it came from JSON
}

// Stream is stream_config.
type Stream struct {
	Name     string `json:"name"`
	Title    string `json:"title,omitempty"`
	Comment  string `json:"comment,omitempty"`
	Template string `json:"template,omitempty"`
	Position int    `json:"position,omitempty"`
	MediaOptions

	pos position // where the parser read it; zero when it came from JSON
}

// MediaOptions are the options a stream and a template share
// (stream_config_base and stream_config_media).
type MediaOptions struct {
	Static        *bool    `json:"static,omitempty"` // default true
	Disabled      bool     `json:"disabled,omitempty"`
	Inputs        []Input  `json:"inputs,omitempty"`
	SourceTimeout *Timeout `json:"source_timeout,omitempty"` // seconds, or false
	// ReturnAfter and ErrorThreshold are StreamHive's own failover
	// settings (Flussonic has none): how long a failed higher-priority
	// input must deliver steadily before it feeds the stream again
	// (seconds, or false: never by itself; default 10 s), and how many
	// input errors (units its puller dropped) within 10 s fail an input
	// (default 30). Each input may override both.
	ReturnAfter     *Timeout    `json:"return_after,omitempty"`
	ErrorThreshold  int         `json:"error_threshold,omitempty"`
	Transcoder      *Transcoder `json:"transcoder,omitempty"`
	DVR             *StreamDVR  `json:"dvr,omitempty"`
	Pushes          []Push      `json:"pushes,omitempty"`
	Protocols       *Protocols  `json:"protocols,omitempty"`
	SegmentDuration int         `json:"segment_duration,omitempty"` // milliseconds (seconds in the file)
	SegmentCount    int         `json:"segment_count,omitempty"`
	ChunkDuration   int         `json:"chunk_duration,omitempty"` // LL-HLS part target, milliseconds (also in the file)
	OnPlay          *AuthSpec   `json:"on_play,omitempty"`
	OnPublish       *AuthSpec   `json:"on_publish,omitempty"`
	Password        string      `json:"password,omitempty"`
	// SRT is the stream's own SRT port (`srt PORT;` inside the stream):
	// every caller that publishes to it feeds this stream's publish://
	// input, whatever its streamid.
	SRT *ListenSpec `json:"srt,omitempty"`
	// SRTPlay is the stream's own SRT play port (`srt_play { port N;
	// passphrase X; }`): every caller plays this stream, whatever its
	// streamid. Streams only: Validate refuses it in a template.
	SRTPlay    *SRTConfig  `json:"srt_play,omitempty"`
	Thumbnails *Thumbnails `json:"thumbnails,omitempty"` // JPEG thumbnails and their image tracks (thumbnails.go)
	// ClusterIngest makes the stream one that a single node of the
	// cluster captures (cluster_ingest.go); nil: every node captures it.
	ClusterIngest *ClusterIngest `json:"cluster_ingest,omitempty"`
	DRM           *DRM           `json:"drm,omitempty"` // outputs encrypted with a key server's keys (drm.go)
	// Raw are the directives kept as text (raw.go).
	Raw []RawDirective `json:"raw_directives,omitempty"`

	passwordPos position // where the parser read `password`; zero from JSON
}

// Input is stream_input: one source URL and its options. Inputs are tried in
// priority order: Priority when set, else their order in the list.
type Input struct {
	URL           string   `json:"url"`
	Priority      *int     `json:"priority,omitempty"`
	SourceTimeout *Timeout `json:"source_timeout,omitempty"` // seconds, or false
	Backup        bool     `json:"backup,omitempty"`         // a backup source: never recorded to DVR
	Standby       bool     `json:"standby,omitempty"`        // hot standby: stays connected
	// ReturnAfter and ErrorThreshold override the stream's (ours, see
	// MediaOptions).
	ReturnAfter    *Timeout          `json:"return_after,omitempty"`
	ErrorThreshold int               `json:"error_threshold,omitempty"`
	Options        map[string]string `json:"options,omitempty"` // protocol options (passphrase, streamid, rtsp_tcp, ...)

	pos    position            // where the parser read it; zero when it came from JSON
	optPos map[string]position // where each option was read
}

// Timeout is a number of seconds or `false` (disabled), as the API's
// source_timeout is.
type Timeout struct {
	Disabled bool
	Seconds  int
}

// Push is stream_push: one restreaming target.
type Push struct {
	URL          string            `json:"url"`
	RetryLimit   int               `json:"retry_limit,omitempty"`
	RetryTimeout int               `json:"retry_timeout,omitempty"` // seconds
	Disabled     bool              `json:"disabled,omitempty"`
	Options      map[string]string `json:"options,omitempty"` // streamid, passphrase, ...

	pos    position            // where the parser read it; zero when it came from JSON
	optPos map[string]position // where each option was read
}

// Protocols is play_protocols_spec: which outputs a stream serves. A nil
// field means the default (on).
type Protocols struct {
	HLS    *bool `json:"hls,omitempty"`
	DASH   *bool `json:"dash,omitempty"`
	RTMP   *bool `json:"rtmp,omitempty"`
	RTSP   *bool `json:"rtsp,omitempty"`
	TSHTTP *bool `json:"tshttp,omitempty"`
	WebRTC *bool `json:"webrtc,omitempty"`
	SRT    *bool `json:"srt,omitempty"`
	MP4    *bool `json:"mp4,omitempty"`
	JPEG   *bool `json:"jpeg,omitempty"`
	Player *bool `json:"player,omitempty"` // the embed.html page
	MSELD  *bool `json:"mseld,omitempty"`
}

// SRTConfig is srt_config (`srt_publish { ... }`, `srt_play { ... }`).
type SRTConfig struct {
	Port       *ListenSpec `json:"port,omitempty"`
	Passphrase string      `json:"passphrase,omitempty"`
	Latency    int         `json:"latency,omitempty"` // milliseconds
}

// ListenSpec is listen_spec: a port number or "ADDR:PORT".
type ListenSpec struct {
	Address string
	Port    int
}
