package stream

import (
	"streamhive/media"
	"streamhive/media/meter"
)

// changed publishes a new snapshot and tells the parent when the stream's
// state changed (or always, when announce is set).
func (a *streamActor) changed(announce bool) {
	a.syncDVR()
	measured := a.sampler.measured
	st := &Status{
		PID:       a.self,
		Name:      media.StreamName(a.cfg.Stream.Name),
		Started:   a.started,
		Active:    a.active,
		Inputs:    a.inputs.snapshot(),
		Tracks:    a.outTracks(),
		Playback:  a.playback,
		Bitrate:   measured.Bitrate,
		Meter:     a.media.Meter(),
		Packaging: a.media.Packaging,

		Switches:     a.failover.switches,
		SwitchReason: a.failover.switchReason,
		Transcoder:   a.transcoder.status(),
		Pushes:       a.pushes.snapshot(),
		Keys:         a.keys.h,
	}
	if a.failover.policy != nil {
		fs := a.failover.policy.Status()
		for i := range st.Inputs {
			if i < len(fs.Inputs) {
				st.Inputs[i].Health = fs.Inputs[i].State.String()
			}
		}
	}
	st.State = stateOf(st.Active, st.Inputs)
	st.TrackRates = trackRates(st.Tracks, measured)
	for i := range st.Inputs {
		if i < len(measured.Inputs) {
			st.Inputs[i].Bitrate = measured.Inputs[i]
		}
	}
	prev := a.cfg.Status.Load()
	if announce {
		prev = nil // a previous instance's (its end was announced): this one starts from nothing
	}
	a.cfg.Status.Store(st)
	for _, e := range statusEvents(prev, st, a.failover.fed-1) {
		a.cfg.Events.Publish(e)
	}
	if st.Active >= 0 {
		a.failover.fed = st.Active + 1
	}

	if (announce || st.State != a.state) && a.parent != nil {
		a.root.Send(a.parent, &StatusChanged{Stream: a.self, Name: st.Name, State: st.State})
	}
	a.state = st.State
}

// trackRates returns what m measured of each of tracks, in their order.
func trackRates(tracks []media.Track, m meter.Measured) []meter.TrackRate {
	var out []meter.TrackRate
	for _, t := range tracks {
		if t.ID >= 0 && t.ID < meter.MaxTracks {
			out = append(out, m.Tracks[t.ID])
		} else {
			out = append(out, meter.TrackRate{})
		}
	}
	return out
}
