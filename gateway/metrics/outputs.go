package metrics

import (
	"strconv"

	"streamhive/media/stats"
)

// Push families: Flussonic's pusher_* and ours, one sample per push
// target, labelled with the stream and the target's id, never its URL
// (push URLs carry stream keys and passphrases).
var pushFamilies = []struct {
	name, typ, help string
	value           func(*stats.Push) int64
}{
	{
		"pusher_bytes_total", Counter, "Bytes the push target sent, over all its sessions (Flussonic's pusher_bytes).",
		func(p *stats.Push) int64 { return p.Bytes },
	},
	{
		"pusher_retries_total", Counter, "Retries since the push target's last successful session (Flussonic's pusher_retries).",
		func(p *stats.Push) int64 { return p.Retries },
	},
	{
		"streamhive_push_errors_total", Counter, "Failed sessions of the push target.",
		func(p *stats.Push) int64 { return p.Errors },
	},
	{
		"streamhive_push_reconnects_total", Counter, "Sessions the push target opened again after one ended.",
		func(p *stats.Push) int64 { return p.Reconnects },
	},
	{
		"streamhive_push_up", Gauge, "1 while the push target sends, else 0.",
		func(p *stats.Push) int64 { return b2i(p.State == "running") },
	},
}

func writePushes(t *Text, rows []row) {
	for _, f := range pushFamilies {
		t.Family(f.name, f.typ, f.help)
		for i := range rows {
			for _, p := range rows[i].st.Pushes {
				if p == nil {
					continue // a disabled target
				}
				t.Int(f.name, With(rows[i].labels, "id", p.ID), f.value(p))
			}
		}
	}
}

// DVR families: Flussonic's dvr_* (seconds and bytes, as its dvr_info),
// one sample per recording stream. The writer's own counters (segments,
// bytes written: the write speed) are actors/dvr's streamhive_dvr_*.
var dvrFamilies = []struct {
	name, help string
	value      func(*stats.DVR) int64
}{
	{
		"dvr_depth", "Seconds from the start of the first record to the end of the last (Flussonic's dvr_depth).",
		func(d *stats.DVR) int64 { return int64(d.Depth.Seconds()) },
	},
	{
		"dvr_duration", "Seconds recorded, gaps excluded (Flussonic's dvr_duration).",
		func(d *stats.DVR) int64 { return int64(d.Duration.Seconds()) },
	},
	{
		"dvr_disk_size", "Bytes of the disk the archive is recorded on (Flussonic's dvr_disk_size).",
		func(d *stats.DVR) int64 { return d.DiskSize },
	},
}

func writeDVR(t *Text, rows []row) {
	for _, f := range dvrFamilies {
		t.Family(f.name, Gauge, f.help)
		for i := range rows {
			if d := rows[i].st.DVR; d != nil {
				t.Int(f.name, rows[i].labels, f.value(d))
			}
		}
	}
}

// Transcoder families, one sample per transcoding stream; the rendition
// ones per rendition (track="v1", "v2"... as the output's tracks).
var transcoderFamilies = []struct {
	name, typ, help string
	value           func(*stats.Transcoder) float64
}{
	{
		"streamhive_transcoder_frames_in_total", Counter, "Source video frames the transcoder read.",
		func(x *stats.Transcoder) float64 { return float64(x.FramesIn) },
	},
	{
		"streamhive_transcoder_dropped_frames_total", Counter, "Source frames the transcoder never decoded.",
		func(x *stats.Transcoder) float64 { return float64(x.Dropped) },
	},
	{
		"streamhive_transcoder_decode_errors_total", Counter, "Decoder errors of the transcoder.",
		func(x *stats.Transcoder) float64 { return float64(x.DecodeErrors) },
	},
	{
		"streamhive_transcoder_restarts_total", Counter, "Restarts of the transcoder's session.",
		func(x *stats.Transcoder) float64 { return float64(x.Restarts) },
	},
	{
		"streamhive_transcoder_speed", Gauge, "Source time the transcoder processes per second of work; below 1 it falls behind real time.",
		func(x *stats.Transcoder) float64 { return x.Speed },
	},
}

var renditionFamilies = []struct {
	name, typ, help string
	value           func(*stats.Rendition) float64
}{
	{
		"streamhive_transcoder_frames_out_total", Counter, "Frames the rendition's encoder made.",
		func(r *stats.Rendition) float64 { return float64(r.FramesOut) },
	},
	{
		"streamhive_transcoder_keyframes_total", Counter, "Keyframes the rendition's encoder made.",
		func(r *stats.Rendition) float64 { return float64(r.Keyframes) },
	},
	{
		"streamhive_transcoder_rendition_speed", Gauge, "Source time the rendition's encoder alone processes per second of work.",
		func(r *stats.Rendition) float64 { return r.Speed },
	},
}

func writeTranscoders(t *Text, rows []row) {
	for _, f := range transcoderFamilies {
		t.Family(f.name, f.typ, f.help)
		for i := range rows {
			if x := rows[i].st.Transcoder; x != nil {
				t.Float(f.name, rows[i].labels, f.value(x))
			}
		}
	}
	for _, f := range renditionFamilies {
		t.Family(f.name, f.typ, f.help)
		for i := range rows {
			x := rows[i].st.Transcoder
			if x == nil {
				continue
			}
			for j := range x.Renditions {
				t.Float(f.name, With(rows[i].labels, "track", "v"+strconv.Itoa(j+1)), f.value(&x.Renditions[j]))
			}
		}
	}
}
