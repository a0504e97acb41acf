package file

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"streamhive/media"
	"streamhive/media/vod"
	"streamhive/protocols/mpegts"
)

// Errors of file:// inputs. Both are permanent: restarting does not help.
var (
	// ErrBadURL: not file:// with an absolute path.
	ErrBadURL = errors.New("file: bad url")
	// ErrUnsupported: a file that is neither progressive MP4 nor TS, or
	// holds no track we can carry.
	ErrUnsupported = errors.New("file: unsupported file")
)

// source is one pass over a file: its tracks, then its frames in
// decoding order with timestamps from 0, then io.EOF.
type source interface {
	tracks() []media.Track
	next() (*media.Frame, error)
	close() error
}

// ParseURL returns the path a file:// URL names: file:///abs/path.
func ParseURL(url string) (string, error) {
	path, ok := strings.CutPrefix(url, "file://")
	if !ok || !filepath.IsAbs(path) {
		return "", fmt.Errorf("%w: %q: want file:///absolute/path", ErrBadURL, url)
	}
	return filepath.Clean(path), nil
}

// input is the file a pass reads: random access for MP4's samples, a
// stream for TS, and its name for errors.
type input struct {
	*io.SectionReader
	file vod.File
	name string
}

func (in *input) Close() error { return in.file.Close() }

// osFile is a local file as a vod.File.
type osFile struct {
	*os.File
	size int64
}

func (f osFile) Size() int64 { return f.size }

// openPath opens a local file (file:// inputs).
func openPath(path string) (vod.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("file: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("file: %w", err)
	}
	return osFile{File: f, size: st.Size()}, nil
}

// open opens the file opener gives as MP4 or TS, by its first bytes.
func open(name string, opener func() (vod.File, error), cfg mpegts.Config, stats *media.InputStats) (source, error) {
	vf, err := opener()
	if err != nil {
		return nil, err
	}
	f := &input{SectionReader: io.NewSectionReader(vf, 0, vf.Size()), file: vf, name: name}
	head := make([]byte, 8)
	n, _ := io.ReadFull(f, head)
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("file: %w", err)
	}
	head = head[:n]
	var src source
	switch {
	case n > 0 && head[0] == 0x47:
		src, err = openTS(f, cfg, stats)
	case n == 8 && (bytes.Equal(head[4:], []byte("ftyp")) || bytes.Equal(head[4:], []byte("moov"))):
		src, err = openMP4(f, stats)
	default:
		err = fmt.Errorf("%w: %s is neither MP4 nor MPEG-TS", ErrUnsupported, name)
	}
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return src, nil
}

// tsSource reads a TS file through the demuxer.
type tsSource struct {
	f    *input
	d    *mpegts.Demuxer
	list []media.Track
}

func openTS(f *input, cfg mpegts.Config, stats *media.InputStats) (source, error) {
	d := mpegts.NewDemuxer(f, cfg, stats)
	tracks, err := d.Tracks()
	if err != nil {
		return nil, fmt.Errorf("file: %s: %w", f.name, err)
	}
	return &tsSource{f: f, d: d, list: tracks}, nil
}

func (s *tsSource) tracks() []media.Track       { return s.list }
func (s *tsSource) next() (*media.Frame, error) { return s.d.ReadFrame() }
func (s *tsSource) close() error                { return s.f.Close() }
