package config

import (
	"strconv"
	"strings"
)

func (w *printer) dvr(d *DVR) {
	w.blank()
	w.open("dvr", quoteIfNeeded(d.Name))
	if d.Root != "" {
		w.line("root", quoteIfNeeded(d.Root))
	}
	for _, disk := range d.Disks {
		w.line("disk", quoteIfNeeded(disk.Path))
	}
	if d.Expiration != 0 {
		w.line("expiration", FormatDuration(d.Expiration))
	}
	if d.StorageLimit != 0 {
		w.line("storage_limit", FormatSize(d.StorageLimit))
	}
	if d.DiskUsageLimit != 0 {
		w.line("disk_usage_limit", strconv.Itoa(d.DiskUsageLimit))
	}
	w.dvrKept(&d.DVRKept)
	w.raw(d.Raw)
	w.close()
}

func dvrWords(d *StreamDVR) []string {
	words := []string{"dvr"}
	switch {
	case d.Reference != "":
		words = append(words, "@"+d.Reference)
	case strings.HasPrefix(d.Root, "@"):
		words = append(words, quote(d.Root)) // quoted: a path, not a reference
	default:
		words = append(words, quoteIfNeeded(d.Root))
	}
	return append(words, limitWords(&d.DVRLimits)...)
}

// limitWords writes a dvr line's limits in the forms that read back to
// them: an expiration as 7d, a size with its unit (10G), a percentage,
// then the kept settings. A size that is no whole unit is written as
// storage_limit=N: a bare number would read as the expiration.
func limitWords(l *DVRLimits) []string {
	var words []string
	if l.Expiration != 0 {
		words = append(words, FormatDuration(l.Expiration))
	}
	if l.StorageLimit != 0 {
		size := FormatSize(l.StorageLimit)
		if allDigits(size) {
			size = "storage_limit=" + size
		}
		words = append(words, size)
	}
	if l.DiskUsageLimit != 0 {
		words = append(words, strconv.Itoa(l.DiskUsageLimit)+"%")
	}
	if l.Replicate {
		words = append(words, "replicate")
	}
	if l.Copy != "" {
		words = append(words, opt("copy", l.Copy))
	}
	if l.ReplicationPort != 0 {
		words = append(words, "replication_port="+strconv.Itoa(l.ReplicationPort))
	}
	if l.EpisodesExpiration != 0 {
		words = append(words, "episodes_expiration="+FormatDuration(l.EpisodesExpiration))
	}
	return words
}

// dvrKept writes a named dvr's settings that nothing acts on yet.
func (w *printer) dvrKept(k *DVRKept) {
	if k.Copy != "" {
		w.line("copy", quoteIfNeeded(k.Copy))
	}
	if k.Replicate {
		w.line("replicate")
	}
	if k.ReplicationPort != 0 {
		w.line("replication_port", strconv.Itoa(k.ReplicationPort))
	}
	if k.EpisodesExpiration != 0 {
		w.line("episodes_expiration", FormatDuration(k.EpisodesExpiration))
	}
}
