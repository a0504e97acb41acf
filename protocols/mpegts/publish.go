package mpegts

import "streamhive/media"

// publishWait is how much media (by DTS) the demuxer buffers while a
// stream of the PMT has not become usable: a live stream joined mid-GOP
// needs up to a GOP for its first keyframe, and satellite and IPTV
// encoders use GOPs of up to several seconds. A stream still silent then
// is left out.
const publishWait = 10 * tsHz

// maxPending bounds the frames buffered before publishing, whatever their
// timestamps say; the oldest go first.
const maxPending = 4096

// emit queues a frame: pending before publishing, out after.
func (d *Demuxer) emit(f *frame) {
	if d.published {
		if f.es.id >= 0 {
			if m := d.toMedia(f); m != nil {
				d.out = append(d.out, m)
			}
		}
		return
	}
	if len(d.pending) == maxPending {
		d.pending[0] = nil
		d.pending = d.pending[1:]
	}
	d.pending = append(d.pending, f)
	if d.allReady() || d.pending[len(d.pending)-1].dts-d.pending[0].dts >= publishWait {
		d.publish()
	}
}

func (d *Demuxer) allReady() bool {
	for _, es := range d.streams {
		if !es.ready {
			return false
		}
	}
	return true
}

// publish makes the ready streams the tracks, video first, and starts
// the timeline at the first video keyframe (or the first audio frame when
// there is no video): frames before it are dropped.
func (d *Demuxer) publish() {
	var tracks []media.Track
	for _, kind := range []media.Kind{media.KindVideo, media.KindAudio} {
		for _, es := range d.streams {
			if es.ready && es.codec.Kind() == kind {
				es.id = len(tracks)
				es.track.ID = es.id
				tracks = append(tracks, es.track)
			}
		}
	}
	if len(tracks) == 0 {
		return
	}
	d.published, d.tracks = true, tracks
	start := -1
	for i, f := range d.pending {
		if f.es.id == 0 {
			start = i
			break
		}
	}
	d.origin = d.pending[max(start, 0)].dts
	if tracks[0].Codec.Kind() == media.KindAudio {
		for _, f := range d.pending {
			d.origin = min(d.origin, f.dts)
		}
	}
	for _, f := range d.pending {
		d.emit(f)
	}
	d.pending = nil
}

// toMedia places f on the published timeline; nil when it falls before
// the origin.
func (d *Demuxer) toMedia(f *frame) *media.Frame {
	dts := ticks(f.dts-d.origin) + f.off
	if dts < 0 {
		return nil
	}
	f.m = media.Frame{
		Track:    f.es.id,
		DTS:      dts,
		PTS:      ticks(f.pts-d.origin) + f.off,
		Keyframe: f.key,
		Data:     f.data,
	}
	return &f.m
}
