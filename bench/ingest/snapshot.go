package main

import (
	"encoding/json"
	"net/http"
)

// snapshot sums the bytes the server's stream inputs counted (the Control
// API's stats.input_bytes) and counts the streams that are alive with
// both tracks (video and audio) in stats.media_info: the publishers'
// media got through, not only their bytes.
func (s *server) snapshot() (bytes int64, live int) {
	for _, name := range s.names {
		resp, err := http.Get(s.base + "/streamer/api/v3/streams/" + name) //nolint:noctx // loopback
		if err != nil {
			continue
		}
		var st struct {
			Stats struct {
				Alive      bool  `json:"alive"`
				InputBytes int64 `json:"input_bytes"`
				MediaInfo  struct {
					Tracks []json.RawMessage `json:"tracks"`
				} `json:"media_info"`
			} `json:"stats"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&st)
		_ = resp.Body.Close()
		bytes += st.Stats.InputBytes
		if st.Stats.Alive && len(st.Stats.MediaInfo.Tracks) >= 2 {
			live++
		}
	}
	return bytes, live
}
