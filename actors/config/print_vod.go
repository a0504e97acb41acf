package config

import (
	"strconv"
)

// vod writes a location in the vod form, whichever form it was read in.
func (w *printer) vod(v *VOD) {
	w.blank()
	w.open("vod", quoteIfNeeded(v.Prefix))
	for _, s := range v.Storages {
		w.line("storage", quoteIfNeeded(s.URL))
	}
	if c := v.Cache; c != nil {
		words := []string{"cache", quoteIfNeeded(c.Path)}
		if c.StorageLimit != 0 {
			words = append(words, FormatSize(c.StorageLimit))
		}
		if c.Expiration != 0 {
			words = append(words, FormatDuration(c.Expiration))
		}
		if c.Misses != 0 {
			words = append(words, "misses="+strconv.Itoa(c.Misses))
		}
		w.line(words...)
	}
	if v.Download {
		w.line("download")
	}
	if v.AutoMBR {
		w.line("auto_mbr")
	}
	if v.SegmentDuration != 0 {
		w.line("segment_duration", formatSeconds(v.SegmentDuration))
	}
	w.raw(v.Raw)
	w.close()
}
