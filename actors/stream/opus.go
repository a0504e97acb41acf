package stream

import (
	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/transcoder"
	"streamhive/media"
	"streamhive/media/hub"
)

// startOpus spawns the child that gives the stream's audio an Opus
// rendition while a viewer wants one (package transcoder's Opus actor,
// idle until then). It reads the stream's hub, whatever feeds it (an
// input, or the transcoder's renditions), and writes the Opus track back
// as a derived track: only SubscribeAll's consumers (Frames: WebRTC)
// see it, so the packager, hence HLS, DASH and the DVR, and the pushes
// never notice it come and go.
func (a *streamActor) startOpus(ctx actor.Context) {
	ctx.SpawnPrefix(transcoder.OpusProps(transcoder.OpusConfig{
		Stream: media.StreamName(a.cfg.Stream.Name), Hub: a.media.Hub(), Demand: a.opus,
	}), "opus")
}

// WantOpus asks for an Opus rendition of the stream's audio until release
// is called (transcoder.OpusDemand.Want: shared by every caller, stopped a
// grace after the last release). The track is a derived track of the hub:
// read it through SubscribeAll (Frames), where it follows the stream's
// own tracks with an ID from hub.DerivedTrackBase up. A want belongs to
// this instance of the stream: one that restarts has a new Playback (the
// old one's consumers read hub.ErrClosed), where a viewer asks again.
func (p *Playback) WantOpus() (release func(), err error) {
	if p == nil || p.opus == nil {
		return nil, ErrNotStarted
	}
	return p.opus.Want()
}

// SubscribeAll is Subscribe with the stream's derived tracks (the Opus
// rendition while it is wanted): for the outputs that pick them, WebRTC.
func (p *Playback) SubscribeAll() (*hub.Consumer, error) {
	if p == nil {
		return nil, ErrNotStarted
	}
	return p.hub.SubscribeAll(), nil
}
