package transcoder

import (
	"context"

	"streamhive/media"
	"streamhive/media/hub"
	"streamhive/media/transcode"
)

// hubSource adapts a hub consumer to transcode.Source and adds what the
// consumer's queue dropped (the ladder fell behind) to the stats.
type hubSource struct {
	c       *hub.Consumer
	st      *transcode.Stats
	dropped uint64
}

var _ transcode.Source = (*hubSource)(nil)

// Read implements transcode.Source.
func (s *hubSource) Read(ctx context.Context) (*media.Frame, []media.Track, error) {
	f, err := s.c.Read(ctx)
	if err != nil {
		return nil, nil, err
	}
	if d := s.c.Dropped(); d != s.dropped {
		s.st.Dropped.Add(d - s.dropped)
		s.dropped = d
	}
	return f, s.c.Tracks().List, nil
}

// hubOutput adapts the stream's hub to transcode.Output: each track list
// takes a new writer (revoking the previous session's), as a grant does.
type hubOutput struct {
	h *hub.Hub
	w *hub.Writer
}

var _ transcode.Output = (*hubOutput)(nil)

// SetTracks implements transcode.Output.
func (o *hubOutput) SetTracks(tracks []media.Track) {
	o.w = o.h.NewWriter()
	o.h.SetTracks(tracks)
}

// WriteFrame implements media.Sink.
func (o *hubOutput) WriteFrame(f *media.Frame) {
	if o.w != nil {
		o.w.WriteFrame(f)
	}
}

// close revokes the writer, so nothing written after the session ended
// reaches the stream.
func (o *hubOutput) close() {
	if o.w != nil {
		o.w.Revoke()
	}
}
