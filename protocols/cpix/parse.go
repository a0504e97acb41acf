package cpix

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

// Bounds on a document, checked before it is decoded: a key server's
// answer for a few periods is a few kilobytes, so anything far larger is
// refused rather than held.
const (
	MaxDocumentBytes = 1 << 20
	maxElements      = 4096
	maxDepth         = 16
	maxKeys          = 64
	maxSystems       = 256
	maxPeriods       = 64
	maxDelivery      = 8
)

// ErrMalformed is wrapped by every error about a document's content.
var ErrMalformed = errors.New("cpix: malformed document")

// ParseDocument decodes a CPIX document, refusing one over the size,
// element-count, depth or per-list bounds before building it.
func ParseDocument(b []byte) (*Document, error) {
	if len(b) > MaxDocumentBytes {
		return nil, fmt.Errorf("%w: %d bytes, the limit is %d", ErrMalformed, len(b), MaxDocumentBytes)
	}
	if err := scan(b); err != nil {
		return nil, err
	}
	var d Document
	if err := xml.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if err := d.checkCounts(); err != nil {
		return nil, err
	}
	return &d, nil
}

// scan walks the tokens once, counting elements and depth, so that a
// document of a million empty elements is refused before Unmarshal
// allocates a struct for each.
func scan(b []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	elements, depth := 0, 0
	for {
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		switch tok.(type) {
		case xml.StartElement:
			elements++
			depth++
			if elements > maxElements || depth > maxDepth {
				return fmt.Errorf("%w: over %d elements or %d levels deep", ErrMalformed, maxElements, maxDepth)
			}
		case xml.EndElement:
			depth--
		case xml.Directive:
			// A DOCTYPE could declare entities; CPIX has none.
			return fmt.Errorf("%w: XML directives are not allowed", ErrMalformed)
		}
	}
	if elements == 0 {
		return fmt.Errorf("%w: empty", ErrMalformed)
	}
	return nil
}

func (d *Document) checkCounts() error {
	n := func(l int, limit int, what string) error {
		if l > limit {
			return fmt.Errorf("%w: %d %s, the limit is %d", ErrMalformed, l, what, limit)
		}
		return nil
	}
	errs := []error{n(len(d.Keys.Items), maxKeys, "content keys")}
	if d.Systems != nil {
		errs = append(errs, n(len(d.Systems.Items), maxSystems, "DRM systems"))
	}
	if d.Periods != nil {
		errs = append(errs, n(len(d.Periods.Items), maxPeriods, "key periods"))
	}
	if d.Rules != nil {
		errs = append(errs, n(len(d.Rules.Items), maxKeys, "usage rules"))
	}
	if d.Delivery != nil {
		errs = append(errs, n(len(d.Delivery.Items), maxDelivery, "delivery data"))
	}
	return errors.Join(errs...)
}

// Marshal writes d as an XML document.
func (d *Document) Marshal() ([]byte, error) {
	b, err := xml.Marshal(d)
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), b...), nil
}
