package local

import (
	"time"

	"streamhive/actors/vods"
	"streamhive/gateway/vod"
	mvod "streamhive/media/vod"
)

// VODs is the VOD registry (Server.VODs()) as gateway/vod's Locations:
// each location's storages as one, every file it opens counted in the
// registry's opened files, and the location's download, auto_mbr and
// segment_duration lines from the running configuration.
type VODs struct{ *vods.Registry }

var (
	_ vod.Locations        = VODs{}
	_ vod.AutoMBR          = VODs{}
	_ vod.Downloads        = VODs{}
	_ vod.SegmentDurations = VODs{}
)

// Location implements vod.Locations.
func (v VODs) Location(name string) (mvod.Storage, bool) { return v.Storage(name) }

// AutoMBR implements vod.AutoMBR.
func (v VODs) AutoMBR(name string) bool {
	l, ok := v.Registry.Location(name)
	return ok && l.Config.AutoMBR
}

// Download implements vod.Downloads.
func (v VODs) Download(name string) bool {
	l, ok := v.Registry.Location(name)
	return ok && l.Config.Download
}

// SegmentDuration implements vod.SegmentDurations.
func (v VODs) SegmentDuration(name string) time.Duration {
	if l, ok := v.Registry.Location(name); ok {
		return time.Duration(l.Config.SegmentDuration) * time.Millisecond
	}
	return 0
}
