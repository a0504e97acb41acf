package mpegts

import (
	"bytes"
	"fmt"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/opus"

	"streamhive/media"
)

// aacSamples is the number of samples in an AAC-LC access unit.
const aacSamples = 1024

// onADTS handles a PES of ADTS frames: one frame each, the n-th one
// aacSamples/sampleRate later than the PES timestamp.
func (d *Demuxer) onADTS(es *elementary, dts int64, payload []byte) error {
	frames, err := parseADTS(payload)
	if err != nil {
		return d.dropUnit(err)
	}
	asc, err := frames[0].audioSpecificConfig()
	if err != nil {
		return d.dropUnit(err)
	}
	if err := d.audioConfig(es, asc, frames[0].sampleRate, frames[0].channels); err != nil {
		return err
	}
	for i, f := range frames {
		if f.sampleRate != frames[0].sampleRate || f.channels != frames[0].channels || f.objectType != frames[0].objectType {
			d.broken()
			return nil
		}
		off := time.Duration(i) * aacSamples * time.Second / time.Duration(f.sampleRate)
		d.emit(oneUnit(es, dts, off, f.au))
	}
	return nil
}

// onOpus handles a PES of Opus packets, each one its predecessors'
// duration later than the PES timestamp.
func (d *Demuxer) onOpus(es *elementary, dts int64, payload []byte) error {
	packets, err := parseOpus(payload)
	if err != nil {
		return d.dropUnit(err)
	}
	if err := d.audioConfig(es, nil, 48000, es.channels); err != nil {
		return err
	}
	var off time.Duration
	for _, p := range packets {
		d.emit(oneUnit(es, dts, off, p))
		off += time.Duration(opus.PacketDuration2(p)) * time.Second / 48000
	}
	return nil
}

// audioConfig makes the first configuration the track's. Once published,
// another one ends the demux with ErrTracksChanged.
func (d *Demuxer) audioConfig(es *elementary, asc []byte, rate, channels int) error {
	if es.ready && bytes.Equal(asc, es.track.AudioConfig) && rate == es.track.SampleRate && channels == es.track.Channels {
		return nil
	}
	if es.id >= 0 {
		return fmt.Errorf("%w: %s configuration on PID %d", ErrTracksChanged, es.codec, es.pid)
	}
	es.track = media.Track{Codec: es.codec, AudioConfig: asc, SampleRate: rate, Channels: channels}
	es.ready = true
	return nil
}
