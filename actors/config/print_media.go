package config

import (
	"maps"
	"slices"
	"strconv"
)

func (w *printer) media(m *MediaOptions) {
	if m.Static != nil {
		if *m.Static {
			w.line("static")
		} else {
			w.line("static", "false")
		}
	}
	if m.Disabled {
		w.line("disabled")
	}
	for i := range m.Inputs {
		w.line(inputWords(&m.Inputs[i])...)
	}
	if m.SourceTimeout != nil {
		w.line("source_timeout", formatTimeout(*m.SourceTimeout))
	}
	if m.ReturnAfter != nil {
		w.line("return_after", formatTimeout(*m.ReturnAfter))
	}
	if m.ErrorThreshold != 0 {
		w.line("error_threshold", strconv.Itoa(m.ErrorThreshold))
	}
	if m.Transcoder != nil {
		w.line(transcoderWords(m.Transcoder)...)
	}
	if d := m.DVR; d != nil {
		w.line(dvrWords(d)...)
	}
	for i := range m.Pushes {
		w.line(pushWords(&m.Pushes[i])...)
	}
	if pr := protocolWords(m.Protocols); len(pr) > 0 {
		w.line(append([]string{"protocols"}, pr...)...)
	}
	if m.SegmentDuration != 0 {
		w.line("segment_duration", formatSeconds(m.SegmentDuration))
	}
	if m.SegmentCount != 0 {
		w.line("segment_count", strconv.Itoa(m.SegmentCount))
	}
	if m.ChunkDuration != 0 {
		w.line("chunk_duration", strconv.Itoa(m.ChunkDuration))
	}
	if m.OnPlay != nil {
		w.line(authWords("on_play", m.OnPlay)...)
	}
	if m.OnPublish != nil {
		w.line(authWords("on_publish", m.OnPublish)...)
	}
	if m.Password != "" {
		w.line("password", quoteIfNeeded(m.Password))
	}
	if m.SRT != nil {
		w.line("srt", quoteIfNeeded(m.SRT.String()))
	}
	if m.SRTPlay != nil {
		w.srtBlock("srt_play", m.SRTPlay)
	}
	if m.Thumbnails != nil {
		w.line(thumbnailsWords(m.Thumbnails)...)
	}
	if m.ClusterIngest != nil {
		w.line(clusterIngestWords(m.ClusterIngest)...)
	}
	if m.DRM != nil {
		w.line(drmWords(m.DRM)...)
	}
	w.raw(m.Raw)
}

func formatTimeout(t Timeout) string {
	if t.Disabled {
		return "false"
	}
	return FormatDuration(t.Seconds)
}

func inputWords(in *Input) []string {
	words := []string{"input", quoteIfNeeded(in.URL)}
	if in.Priority != nil {
		words = append(words, "priority="+strconv.Itoa(*in.Priority))
	}
	if in.SourceTimeout != nil {
		words = append(words, "source_timeout="+formatTimeout(*in.SourceTimeout))
	}
	if in.ReturnAfter != nil {
		words = append(words, "return_after="+formatTimeout(*in.ReturnAfter))
	}
	if in.ErrorThreshold != 0 {
		words = append(words, "error_threshold="+strconv.Itoa(in.ErrorThreshold))
	}
	if in.Backup {
		words = append(words, "backup")
	}
	if in.Standby {
		words = append(words, "standby")
	}
	return appendOptions(words, in.Options)
}

func pushWords(p *Push) []string {
	words := []string{"push", quoteIfNeeded(p.URL)}
	if p.RetryLimit != 0 {
		words = append(words, "retry_limit="+strconv.Itoa(p.RetryLimit))
	}
	if p.RetryTimeout != 0 {
		words = append(words, "retry_timeout="+FormatDuration(p.RetryTimeout))
	}
	if p.Disabled {
		words = append(words, "disabled")
	}
	return appendOptions(words, p.Options)
}

// appendOptions writes protocol options sorted by key, so the text is
// stable.
func appendOptions(words []string, opts map[string]string) []string {
	for _, k := range slices.Sorted(maps.Keys(opts)) {
		words = append(words, opt(k, opts[k]))
	}
	return words
}

// protocolWords writes Protocols in the form that parses back to it: the
// enabled names alone when every other is explicitly off, else the
// enabled names and "-name" for the disabled ones. A Protocols with nothing
// off allows everything, like no protocols line, and prints as nothing.
func protocolWords(p *Protocols) []string {
	if p == nil {
		return nil
	}
	var on, off []string
	unset := false
	for _, f := range protocolFields {
		switch v := *f.get(p); {
		case v == nil:
			unset = true
		case *v:
			on = append(on, f.name)
		default:
			off = append(off, "-"+f.name)
		}
	}
	switch {
	case !unset && len(on) > 0:
		return on
	case len(off) == 0:
		return nil
	}
	return append(on, off...)
}
