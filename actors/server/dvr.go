package server

import (
	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	dvractor "streamhive/actors/dvr"
	"streamhive/actors/stream"
	"streamhive/media/dvr"
)

// withDVR returns the streams supervisor's StreamProps: every stream gets
// the server's DVR storage, which records those with a `dvr` line.
func withDVR(st *dvractor.Storage) func(stream.Config) *actor.Props {
	return func(c stream.Config) *actor.Props {
		c.DVR = st.Start
		return stream.Props(c)
	}
}

// DVR returns stream name's archive store, if the stream has recorded
// since the server started (a stream whose actor has stopped keeps its
// store).
func (s *Server) DVR(name string) (*dvr.Store, bool) { return s.dvr.Store(name) }

// DVRDisks returns the state of every DVR root in use.
func (s *Server) DVRDisks() []dvr.DiskStatus { return s.dvr.Disks() }

// addDVRInfo fills the DVR fields of stream name's stats.
func (s *Server) addDVRInfo(name string, st *config.StreamStats) {
	store, ok := s.dvr.Store(name)
	if !ok {
		return
	}
	st.DVREnabled = true
	st.DVRInfo = DVRInfo(store)
}

// DVRInfo describes a store as the Control API's dvr_info.
func DVRInfo(store *dvr.Store) *config.DVRInfo {
	in := store.Info()
	out := &config.DVRInfo{
		Depth: int64(in.Depth.Seconds()), Duration: int64(in.Duration.Seconds()), Bytes: in.Bytes,
		Ranges: make([]config.DVRRange, len(in.Ranges)), DiskStatus: dvr.DiskOK,
	}
	if !in.From.IsZero() {
		out.From = in.From.Unix()
	}
	for i, r := range in.Ranges {
		out.Ranges[i] = config.DVRRange{From: r.From.Unix(), Duration: int64(r.Duration.Seconds())}
	}
	for i, d := range store.Disks() {
		st := d.Status()
		if i == 0 {
			out.DiskSize = st.Size
		}
		if st.State != dvr.DiskOK && out.DiskStatus != dvr.DiskError {
			out.DiskStatus = st.State
		}
	}
	return out
}
