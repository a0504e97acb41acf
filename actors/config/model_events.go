package config

// EventSink is event_sink_config: `event_sink NAME { url ...; only ...;
// except ...; }`, where the server's events go (an HTTP handler that gets
// a JSON array per POST, or a log file) and which of them.
type EventSink struct {
	Name string `json:"name"`
	// URL is http(s)://... (a handler), log:///path (text lines) or
	// jsonlog:///path (one JSON object a line).
	URL string `json:"url"`
	// Only: an event passes when it matches one of these sets (each of
	// its fields matches one of the set's values); none: every event.
	Only []EventFilter `json:"only,omitempty"`
	// Except: an event that matches one of these sets is dropped.
	Except []EventFilter `json:"except,omitempty"`
	// ThrottleDelay holds events this many seconds to send them in one
	// batch (at once when 100 wait); 0: sent as they come.
	ThrottleDelay int `json:"throttle_delay,omitempty"`
	// ResendLimit bounds the events kept while the target fails; what
	// comes beyond it is dropped and counted. 0: the server's default.
	ResendLimit int `json:"resend_limit,omitempty"`
	// ResendTimeout caps the delay between retries, in seconds; 0: the
	// server's default.
	ResendTimeout int `json:"resend_timeout,omitempty"`
	// Level is the loglevel of events this sink takes (kept; every event
	// is info).
	Level string `json:"level,omitempty"`

	pos position  // where the parser read it; zero when it came from JSON
	at  positions // "url", "only/0", "except/1", ...
}

// EventFilter is event_sink_filter: event field name to the values that
// match it ("source_*" matches by prefix, "*" any value).
type EventFilter map[string][]string
