package rtmp

import (
	"strings"

	"streamhive/media"
)

// defaultApp is the RTMP application under which stream keys name streams:
// rtmp://HOST/live/NAME publishes NAME.
const defaultApp = "live"

// streamName resolves the stream an encoder publishes to from the app of
// its connect command and the name of its publish command:
//
//	rtmp://HOST/live/NAME  app "live", key "NAME"      -> NAME
//	rtmp://HOST/NAME       app "NAME", key "" or any   -> NAME (a key is then
//	                       the encoder's "stream key" field, not a name)
//
// ffmpeg splits rtmp://HOST/live/a/b into app "live" and key "a/b", so names
// with slashes are published under live/. Query strings (tokens) are cut
// off both parts.
func streamName(app, key string) media.StreamName {
	app = strings.Trim(cutQuery(app), "/")
	key = strings.Trim(cutQuery(key), "/")
	if app == defaultApp || app == "" {
		return media.StreamName(key)
	}
	return media.StreamName(app)
}

func cutQuery(s string) string {
	s, _, _ = strings.Cut(s, "?")
	return s
}
