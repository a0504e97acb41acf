package server

import (
	"github.com/asynkron/protoactor-go/actor"

	dvractor "streamhive/actors/dvr"
	"streamhive/actors/stream"
	"streamhive/media/dvr"
	"streamhive/media/stats"
)

// withDVR returns the streams supervisor's StreamProps: every stream gets
// the server's DVR storage, which records those with a `dvr` line.
func withDVR(st *dvractor.Storage) func(stream.Config) *actor.Props {
	return func(c stream.Config) *actor.Props {
		c.DVR = st.Start
		c.Relayed = st.Relayed
		return stream.Props(c)
	}
}

// DVR returns stream name's archive store, if the stream has recorded
// since the server started (a stream whose actor has stopped keeps its
// store).
func (s *Server) DVR(name string) (*dvr.Store, bool) { return s.dvr.Store(name) }

// DVRArchive returns the archive this node serves of stream name: the
// cluster's union for a `cluster_ingest` stream (Options.DVRCluster),
// else its store.
func (s *Server) DVRArchive(name string) (dvr.Archive, bool) { return s.dvr.Archive(name) }

// DVRDisks returns the state of every DVR root in use.
func (s *Server) DVRDisks() []dvr.DiskStatus { return s.dvr.Disks() }

// addDVRStats fills the DVR part of stream name's stats.
func (s *Server) addDVRStats(name string, st *stats.Stream) {
	store, ok := s.dvr.Store(name)
	if !ok {
		return
	}
	st.DVR = dvrStats(store)
	if arc, ok := s.dvr.Archive(name); ok && arc != dvr.Archive(store) {
		clusterRanges(st.DVR, arc.Ranges()) // a cluster_ingest stream: every node's recording
	}
}

// clusterRanges replaces a report's ranges (and its start) with the
// cluster's; bytes, duration and disks stay this node's.
func clusterRanges(d *stats.DVR, ranges []dvr.Range) {
	d.Ranges = make([]stats.DVRRange, len(ranges))
	for i, r := range ranges {
		d.Ranges[i] = stats.DVRRange{From: r.From, Duration: r.Duration}
	}
	if len(ranges) > 0 {
		last := ranges[len(ranges)-1]
		d.From, d.Depth = ranges[0].From, last.From.Add(last.Duration).Sub(ranges[0].From)
	}
}

// dvrStats reads a store's archive and the state of its disks.
func dvrStats(store *dvr.Store) *stats.DVR {
	in := store.Info()
	out := &stats.DVR{
		From: in.From, Depth: in.Depth, Duration: in.Duration, Bytes: in.Bytes,
		Ranges: make([]stats.DVRRange, len(in.Ranges)), Disk: dvr.DiskOK,
	}
	for i, r := range in.Ranges {
		out.Ranges[i] = stats.DVRRange{From: r.From, Duration: r.Duration}
	}
	for i, d := range store.Disks() {
		st := d.Status()
		if i == 0 {
			out.DiskSize = st.Size
		}
		if st.State != dvr.DiskOK && out.Disk != dvr.DiskError {
			out.Disk = st.State
		}
	}
	return out
}
