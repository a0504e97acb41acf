package rtsp

import (
	"strings"

	"streamhive/media"
)

// StreamName is the stream an ANNOUNCE URL's path names: the whole path,
// slashes inside included (rtsp://HOST/client15/published1 publishes
// client15/published1), without the slashes around it that encoders add or
// leave out. The query (password=, token=) is not part of it: gortsplib
// hands it over apart, and it reaches Hooks as PublishInfo.Query.
func StreamName(path string) media.StreamName {
	return media.StreamName(strings.Trim(path, "/"))
}
