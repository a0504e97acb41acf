package rtmp

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"streamhive/media"
)

// publishWait bounds how much media an ingest buffers while it waits for
// the sequence header of a track it has not seen yet: a video-only or
// audio-only source is published after this much of its timeline.
const publishWait = time.Second

// maxPending bounds the frames buffered before publishing, whatever their
// timestamps say (a source sending constant timestamps).
const maxPending = 512

// ingest turns one connection's RTMP media messages into tracks and frames.
// It publishes once the tracks are known and then writes frames to the sink
// publish returned. Malformed tags are counted in stats and dropped; only
// conditions that no later tag can fix end the ingest with an error. It is
// driven by one goroutine (the connection's).
type ingest struct {
	publish func([]media.Track) (media.Sink, error)
	stats   *media.InputStats

	clock    clock
	video    *videoConfig
	audio    *audioConfig
	noAudio  bool // audio of an unsupported format was seen: don't wait for it
	pending  []pendingFrame
	sink     media.Sink
	videoID  int
	audioID  int
	firstDTS time.Duration
}

// pendingFrame is a frame received before publishing; its Track is set when
// the track IDs are known.
type pendingFrame struct {
	video bool
	f     *media.Frame
}

func newIngest(stats *media.InputStats, publish func([]media.Track) (media.Sink, error)) *ingest {
	return &ingest{publish: publish, stats: stats}
}

// onVideo handles one video message. buf must not be modified afterwards:
// frames alias it.
func (in *ingest) onVideo(ts uint32, buf []byte) error {
	dts := in.clock.at(ts)
	t, err := parseVideoTag(buf)
	if err != nil {
		return in.drop(err, true)
	}
	switch t.kind {
	case tagSeqHeader:
		return in.setVideo(t.config)
	case tagCoded:
		if in.video == nil || in.video.codec != t.codec {
			in.stats.Errors.Add(1) // a frame nobody can decode
			return nil
		}
		u := &videoFrame{}
		nalus, err := splitLengthPrefixed(u.units[:0], t.payload, in.video.lengthSize)
		if err != nil {
			return in.drop(err, true)
		}
		pts := dts + time.Duration(t.cts)*time.Millisecond
		u.f = media.Frame{DTS: dts, PTS: pts, Keyframe: t.keyframe, Data: nalus}
		return in.emit(true, &u.f)
	case tagIgnored:
	}
	return nil
}

// onAudio handles one audio message; buf as for onVideo.
func (in *ingest) onAudio(ts uint32, buf []byte) error {
	dts := in.clock.at(ts)
	t, err := parseAudioTag(buf)
	if err != nil {
		return in.drop(err, false)
	}
	switch t.kind {
	case tagSeqHeader:
		return in.setAudio(t.config)
	case tagCoded:
		if in.audio == nil {
			in.stats.Errors.Add(1)
			return nil
		}
		return in.emit(false, audioFrame(dts, t.payload))
	case tagIgnored:
	}
	return nil
}

// videoFrame is a frame and room for the NAL units most frames have
// (SEI, parameter sets, a slice), allocated together: one allocation per
// frame where the frame, and the NAL list growing by append, took three.
type videoFrame struct {
	f     media.Frame
	units [4][]byte
}

// oneUnitFrame is a frame and its one data unit, allocated together.
type oneUnitFrame struct {
	f    media.Frame
	data [1][]byte
}

// audioFrame is an audio frame of one access unit in one allocation
// rather than two (the frame, and its Data): audio comes some 47 times a
// second per stream.
func audioFrame(dts time.Duration, unit []byte) *media.Frame {
	u := &oneUnitFrame{data: [1][]byte{unit}}
	u.f = media.Frame{DTS: dts, PTS: dts, Keyframe: true, Data: u.data[:]}
	return &u.f
}

// drop counts a tag that cannot be used. Unsupported video ends the
// ingest (the stream would have no picture, and no restart fixes that);
// unsupported audio only stops us from waiting for an audio track.
func (in *ingest) drop(err error, video bool) error {
	in.stats.Errors.Add(1)
	if errors.Is(err, media.ErrUnsupportedCodec) {
		if video {
			return err
		}
		in.noAudio = true
	}
	return nil
}

func (in *ingest) setVideo(c videoConfig) error {
	if in.video != nil {
		if sameVideo(*in.video, c) {
			return nil
		}
		if in.sink != nil {
			return ErrTracksChanged
		}
	}
	in.video = &c
	return in.maybePublish()
}

func (in *ingest) setAudio(c audioConfig) error {
	if in.audio != nil {
		if bytes.Equal(in.audio.asc, c.asc) {
			return nil
		}
		if in.sink != nil {
			return ErrTracksChanged
		}
	}
	in.audio = &c
	return in.maybePublish()
}

func sameVideo(a, b videoConfig) bool {
	return a.codec == b.codec && bytes.Equal(a.vps, b.vps) && bytes.Equal(a.sps, b.sps) && bytes.Equal(a.pps, b.pps)
}

// emit writes f, or buffers it until the tracks are published.
func (in *ingest) emit(video bool, f *media.Frame) error {
	if in.sink != nil {
		in.write(video, f)
		return nil
	}
	if len(in.pending) == 0 {
		in.firstDTS = f.DTS
	}
	in.pending = append(in.pending, pendingFrame{video: video, f: f})
	return in.maybePublish()
}

func (in *ingest) write(video bool, f *media.Frame) {
	if video {
		f.Track = in.videoID
	} else {
		f.Track = in.audioID
	}
	in.sink.WriteFrame(f)
	in.stats.Frames.Add(1)
}

// maybePublish publishes when every track we expect has its configuration,
// or when we have waited publishWait of media for the missing one.
func (in *ingest) maybePublish() error {
	if in.sink != nil {
		return nil
	}
	complete := in.video != nil && (in.audio != nil || in.noAudio)
	waited := len(in.pending) >= maxPending ||
		(len(in.pending) > 0 && in.pending[len(in.pending)-1].f.DTS-in.firstDTS >= publishWait)
	if !complete && !waited {
		return nil
	}
	tracks := in.tracks()
	if len(tracks) == 0 {
		return ErrNoTracks
	}
	sink, err := in.publish(tracks)
	if err != nil {
		return fmt.Errorf("rtmp: publish: %w", err)
	}
	in.sink = sink
	for _, p := range in.pending {
		in.write(p.video, p.f)
	}
	in.pending = nil
	return nil
}

// tracks lists the known tracks, video first, and records their IDs.
func (in *ingest) tracks() []media.Track {
	var tracks []media.Track
	if v := in.video; v != nil {
		in.videoID = len(tracks)
		tracks = append(tracks, media.Track{
			ID: in.videoID, Codec: v.codec,
			VPS: v.vps, SPS: v.sps, PPS: v.pps,
			Width: v.width, Height: v.height,
		})
	}
	if a := in.audio; a != nil {
		in.audioID = len(tracks)
		tracks = append(tracks, media.Track{
			ID: in.audioID, Codec: media.CodecAAC,
			AudioConfig: a.asc, SampleRate: a.sampleRate, Channels: a.channels,
		})
	}
	return tracks
}
