package api

import "streamhive/actors/sessions"

// Session is the session schema (session_generic and session_details) for
// the fields StreamHive keeps: a viewer session as GET /sessions lists it.
// Filters, sorts and select read it by these JSON names.
type Session struct {
	ID        string `json:"id"`
	Type      string `json:"type"` // always play
	IP        string `json:"ip,omitempty"`
	Bytes     int64  `json:"bytes"`
	Proto     string `json:"proto,omitempty"`
	OpenedAt  int64  `json:"opened_at"`  // utc_ms
	UpdatedAt int64  `json:"updated_at"` // utc_ms of the last request or bytes sent
	DVR       bool   `json:"dvr,omitempty"`

	Name           string `json:"name"` // the stream
	Token          string `json:"token,omitempty"`
	Country        string `json:"country,omitempty"`
	UserID         string `json:"user_id,omitempty"`
	MaxSessions    int    `json:"max_sessions,omitempty"`
	SoftLimitation bool   `json:"soft_limitation,omitempty"`
	Referer        string `json:"referer,omitempty"`
	QueryString    string `json:"query_string,omitempty"`
	UserAgent      string `json:"user_agent,omitempty"`
}

// sessionOf maps a session to its wire form.
func sessionOf(i *sessions.Info) *Session {
	s := &Session{
		ID: i.ID, Type: "play", Bytes: i.Bytes, Proto: protoWire(i.Proto),
		OpenedAt: i.OpenedAt.UnixMilli(), UpdatedAt: i.LastActive.UnixMilli(), DVR: i.DVR,
		Name: i.Stream, Token: i.Token, Country: i.Country, UserID: i.UserID,
		MaxSessions: i.MaxSessions, SoftLimitation: i.SoftLimitation,
		Referer: i.Referer, QueryString: i.Query, UserAgent: i.UserAgent,
	}
	if i.IP.IsValid() {
		s.IP = i.IP.Unmap().String()
	}
	return s
}

// protoWire names a session's protocol as the protocol schema does; one
// it does not list is left out rather than sent as an invalid value.
func protoWire(p string) string {
	switch p {
	case "mpegts":
		return "tshttp"
	case "mse_ld":
		return "mseld"
	case "hls", "llhls", "dash", "cmaf", "mss", "m4s", "m4f", "mp4", "tshttp", "rtmp", "rtmps", "rtsp",
		"rtsps", "srt", "webrtc", "mseld", "jpeg", "mjpeg", "flv", "player", "shoutcast":
		return p
	}
	return ""
}
