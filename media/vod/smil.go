package vod

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// Bounds of a SMIL file: a playlist of renditions is a few lines, so
// anything larger is refused before it is read further.
const (
	MaxSMILBytes      = 64 << 10
	maxSMILDepth      = 16
	maxSMILElements   = 1024
	MaxSMILRenditions = 32
)

// ErrBadSMIL is returned for a SMIL file that is not a list of renditions
// we can play.
var ErrBadSMIL = errors.New("vod: bad SMIL file")

// Rendition is one file of a multi-bitrate presentation.
type Rendition struct {
	Path     string // relative to the storage's root, cleaned
	Bitrate  int    // bits/s the file declares (system-bitrate), 0 unknown
	Width    int
	Height   int
	Language string // systemLanguage
}

// ParseSMIL reads the renditions a SMIL file lists (its video and audio
// elements with a src, usually inside body/switch), resolving each src
// against dir, the SMIL file's folder. A src that leaves the storage
// (.., absolute, a URL) is refused with ErrBadPath.
func ParseSMIL(b []byte, dir string) ([]Rendition, error) {
	if len(b) > MaxSMILBytes {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrBadSMIL, len(b), MaxSMILBytes)
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	var out []Rendition
	depth, elements, root := 0, 0, ""
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrBadSMIL, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			elements++
			if depth > maxSMILDepth || elements > maxSMILElements {
				return nil, fmt.Errorf("%w: more than %d levels or %d elements", ErrBadSMIL, maxSMILDepth, maxSMILElements)
			}
			if depth == 1 {
				root = t.Name.Local
			}
			if t.Name.Local != "video" && t.Name.Local != "audio" {
				continue
			}
			r, ok, err := rendition(t, dir)
			if err != nil {
				return nil, err
			}
			if ok {
				if len(out) == MaxSMILRenditions {
					return nil, fmt.Errorf("%w: more than %d renditions", ErrBadSMIL, MaxSMILRenditions)
				}
				out = append(out, r)
			}
		case xml.EndElement:
			depth--
		}
	}
	if depth != 0 {
		return nil, fmt.Errorf("%w: %d elements left open", ErrBadSMIL, depth)
	}
	if root != "smil" || len(out) == 0 {
		return nil, fmt.Errorf("%w: no <smil> listing a video or audio src", ErrBadSMIL)
	}
	return out, nil
}

// rendition reads one video or audio element; ok false for one without a src.
func rendition(t xml.StartElement, dir string) (Rendition, bool, error) {
	var r Rendition
	src := ""
	for _, a := range t.Attr {
		n, _ := strconv.Atoi(strings.TrimSpace(a.Value))
		switch a.Name.Local {
		case "src":
			src = a.Value
		case "system-bitrate", "systemBitrate", "system_bitrate":
			r.Bitrate = max(n, 0)
		case "width":
			r.Width = max(n, 0)
		case "height":
			r.Height = max(n, 0)
		case "systemLanguage":
			r.Language = a.Value
		}
	}
	if src == "" {
		return r, false, nil
	}
	p, err := within(dir, src)
	if err != nil {
		return r, false, err
	}
	r.Path = p
	return r, true, nil
}

// within resolves src against dir, refusing what leaves the storage.
func within(dir, src string) (string, error) {
	src = strings.TrimPrefix(src, "mp4:") // the Wowza-style prefix some SMIL files carry
	if src == "" || strings.HasPrefix(src, "/") || strings.Contains(src, "://") || strings.ContainsAny(src, "\\\x00") {
		return "", fmt.Errorf("%w: SMIL src %q", ErrBadPath, src)
	}
	p := path.Join(dir, src)
	if p == ".." || strings.HasPrefix(p, "../") || p == "." || strings.HasPrefix(p, "/") {
		return "", fmt.Errorf("%w: SMIL src %q", ErrBadPath, src)
	}
	return p, nil
}
