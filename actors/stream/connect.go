package stream

import (
	"github.com/asynkron/protoactor-go/actor"

	"streamhive/media"
	"streamhive/supervision"
)

// An input run's connection to the stream: the sink its Publish (or a
// publisher's AcceptPublisher) gets from the feed, and the input children's
// reports that start and end it. The policy hears of each (step): which
// sink may feed the hub is its decision (failover.go).

func (a *streamActor) onPublish(m *Publish) *PublishReply {
	idx, ok := a.inputs.index(m.Input)
	if !ok {
		return &PublishReply{Err: ErrNotInput}
	}
	if m.Run != a.inputs.slots[idx].run() {
		return &PublishReply{Err: ErrStaleRun}
	}
	return &PublishReply{Sink: a.connect(idx, m.Tracks)}
}

// connect gives input slot idx a new sink under tracks (closing the sink of
// its previous run) and tells the policy that the input connected. The
// input feeds the hub once the policy arms its sink and it reaches a
// keyframe.
func (a *streamActor) connect(idx int, tracks []media.Track) media.Sink {
	slot := &a.inputs.slots[idx]
	if slot.sink != nil {
		a.feed.Close(slot.sink)
	}
	slot.sink = a.feed.NewSink(idx, tracks)
	slot.seenFrames = 0
	a.step(supervision.Event{Kind: supervision.EventConnected, Input: idx})
	return slot.sink
}

// disconnect closes input slot idx's sink and tells the policy it died.
func (a *streamActor) disconnect(idx int, why string) {
	slot := &a.inputs.slots[idx]
	if slot.sink != nil {
		a.feed.Close(slot.sink)
		slot.sink = nil
	}
	a.step(supervision.Event{Kind: supervision.EventDead, Input: idx, Why: why})
}

func (a *streamActor) onInputStarted(m *InputStarted) {
	idx, ok := a.inputs.index(m.Input)
	if !ok {
		return
	}
	in := &a.inputs.slots[idx]
	if m.Run != in.run() || in.sink != nil {
		return // from an instance that has failed since, or published already
	}
	in.status.State = InputWaiting
	a.changed(false)
}

func (a *streamActor) onTerminated(m *actor.Terminated) {
	idx, ok := a.inputs.index(m.Who)
	if !ok {
		return // an input of an older configuration
	}
	in := &a.inputs.slots[idx]
	in.status.State = InputError
	if in.status.LastError == "" {
		in.status.LastError = "input stopped"
	}
	a.inputs.forget(idx)
	a.disconnect(idx, in.status.LastError)
}

// revoke takes the hub from every input and forgets the policy: the
// inputs are being stopped (a change of inputs, or the actor stopping).
func (a *streamActor) revoke() {
	for i := range a.inputs.slots {
		if s := a.inputs.slots[i].sink; s != nil {
			a.feed.Close(s)
			a.inputs.slots[i].sink = nil
		}
	}
	if a.active >= 0 && a.media != nil {
		a.media.Preview().Clear()
	}
	a.failover.reset()
	a.active, a.tracks, a.publish.holder = -1, nil, 0
}
