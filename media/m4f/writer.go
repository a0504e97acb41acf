package m4f

import (
	"io"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"streamhive/media"
	"streamhive/media/m4f/m4fpb"
)

// Writer writes one stream's records to w. It is for one goroutine. It
// writes the Header with the first record (or at WriteHeader); the caller flushes w when it
// wants the bytes on the wire (per frame, for latency).
type Writer struct {
	w      io.Writer
	stream string
	began  bool
	buf    []byte // one record's bytes, reused
}

// NewWriter returns a Writer of stream's records to w.
func NewWriter(w io.Writer, stream string) *Writer {
	return &Writer{w: w, stream: stream}
}

// WriteTracks announces the track list the following frames refer to.
func (w *Writer) WriteTracks(tracks []media.Track) error {
	pb := &m4fpb.Tracks{Tracks: make([]*m4fpb.Track, len(tracks))}
	for i, t := range tracks {
		pb.Tracks[i] = trackToPB(t)
	}
	return w.write(&m4fpb.Record{Kind: &m4fpb.Record_Tracks{Tracks: pb}})
}

// WriteFrame writes f, which refers to the latest track list written. It
// reads f and never keeps it.
func (w *Writer) WriteFrame(f *media.Frame) error {
	return w.write(&m4fpb.Record{Kind: &m4fpb.Record_Frame{Frame: &m4fpb.Frame{
		Track: int32(f.Track), Dts: int64(f.DTS), Pts: int64(f.PTS), Keyframe: f.Keyframe, Data: f.Data,
	}}})
}

// WriteHeader writes the Header now, unless it was written: a response
// that may wait for its first frame starts with it, so the reader knows
// at once that the stream is coming.
func (w *Writer) WriteHeader() error {
	if w.began {
		return nil
	}
	w.began = true
	return w.write(&m4fpb.Record{Kind: &m4fpb.Record_Header{Header: &m4fpb.Header{Version: Version, Stream: w.stream}}})
}

func (w *Writer) write(rec *m4fpb.Record) error {
	if err := w.WriteHeader(); err != nil {
		return err
	}
	b, err := appendRecord(w.buf[:0], rec)
	if err != nil {
		return err
	}
	w.buf = b
	_, err = w.w.Write(b)
	return err
}

// appendRecord appends rec's length prefix and bytes to b, as protodelim
// frames a message.
func appendRecord(b []byte, rec *m4fpb.Record) ([]byte, error) {
	opts := proto.MarshalOptions{}
	b = protowire.AppendVarint(b, uint64(opts.Size(rec)))
	return opts.MarshalAppend(b, rec)
}

func trackToPB(t media.Track) *m4fpb.Track {
	return &m4fpb.Track{
		Id: int32(t.ID), Codec: string(t.Codec),
		Vps: t.VPS, Sps: t.SPS, Pps: t.PPS,
		Width: int32(t.Width), Height: int32(t.Height),
		AudioConfig: t.AudioConfig, SampleRate: int32(t.SampleRate), Channels: int32(t.Channels),
	}
}
