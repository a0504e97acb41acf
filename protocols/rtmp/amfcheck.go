package rtmp

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// go-amf0 allocates a strict array's declared element count (up to 2^31,
// 16 bytes each) before reading a single element, so a 20-byte command
// can make the process die out of memory: a crash no recover catches.
// checkAMF0 walks the encoding first and refuses any length or count that
// the rest of the payload cannot hold (every value takes at least one
// byte), and nesting deeper than maxAMFDepth. It decodes nothing.

// maxAMFDepth bounds object and array nesting.
const maxAMFDepth = 32

// AMF0 type markers (AMF0 specification, §2.1).
const (
	amfNumber      = 0x00
	amfBoolean     = 0x01
	amfString      = 0x02
	amfObject      = 0x03
	amfMovieClip   = 0x04
	amfNull        = 0x05
	amfUndefined   = 0x06
	amfReference   = 0x07
	amfECMAArray   = 0x08
	amfObjectEnd   = 0x09
	amfStrictArray = 0x0a
	amfDate        = 0x0b
	amfLongString  = 0x0c
	amfUnsupported = 0x0d
	amfXMLDocument = 0x0f
	amfTypedObject = 0x10
)

var errAMFShape = errors.New("AMF0: malformed")

// checkAMF0 reports whether payload is a sequence of well-formed AMF0
// values whose lengths and counts fit in it.
func checkAMF0(payload []byte) error {
	c := amfChecker{b: payload}
	for c.i < len(c.b) {
		if err := c.value(0); err != nil {
			return fmt.Errorf("%w at byte %d: %w", ErrMalformed, c.i, err)
		}
	}
	return nil
}

type amfChecker struct {
	b []byte
	i int
}

func (c *amfChecker) need(n uint64) error {
	if n > uint64(len(c.b)-c.i) {
		return fmt.Errorf("%w: %d bytes declared, %d left", errAMFShape, n, len(c.b)-c.i)
	}
	return nil
}

func (c *amfChecker) skip(n uint64) error {
	if err := c.need(n); err != nil {
		return err
	}
	c.i += int(n)
	return nil
}

func (c *amfChecker) u16() (uint64, error) {
	if err := c.need(2); err != nil {
		return 0, err
	}
	v := binary.BigEndian.Uint16(c.b[c.i:])
	c.i += 2
	return uint64(v), nil
}

func (c *amfChecker) u32() (uint64, error) {
	if err := c.need(4); err != nil {
		return 0, err
	}
	v := binary.BigEndian.Uint32(c.b[c.i:])
	c.i += 4
	return uint64(v), nil
}

// value checks one value at c.i.
func (c *amfChecker) value(depth int) error {
	if depth > maxAMFDepth {
		return fmt.Errorf("%w: nested deeper than %d", errAMFShape, maxAMFDepth)
	}
	if err := c.need(1); err != nil {
		return err
	}
	marker := c.b[c.i]
	c.i++
	switch marker {
	case amfNumber:
		return c.skip(8)
	case amfBoolean:
		return c.skip(1)
	case amfString, amfReference:
		n, err := c.u16()
		if err != nil || marker == amfReference {
			return err
		}
		return c.skip(n)
	case amfLongString, amfXMLDocument:
		n, err := c.u32()
		if err != nil {
			return err
		}
		return c.skip(n)
	case amfNull, amfUndefined, amfUnsupported:
		return nil
	case amfDate:
		return c.skip(10)
	case amfObject:
		return c.properties(depth)
	case amfTypedObject:
		n, err := c.u16()
		if err == nil {
			err = c.skip(n)
		}
		if err != nil {
			return err
		}
		return c.properties(depth)
	case amfECMAArray:
		if _, err := c.u32(); err != nil { // a hint only: the end marker ends it
			return err
		}
		return c.properties(depth)
	case amfStrictArray:
		n, err := c.u32()
		if err != nil {
			return err
		}
		if err := c.need(n); err != nil { // every element takes a byte at least
			return err
		}
		for range n {
			if err := c.value(depth + 1); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("%w: type marker %#x", errAMFShape, marker)
}

// properties checks name/value pairs up to the object end marker (an
// empty name followed by 0x09).
func (c *amfChecker) properties(depth int) error {
	for {
		n, err := c.u16()
		if err != nil {
			return err
		}
		if n == 0 {
			if err := c.need(1); err != nil {
				return err
			}
			if c.b[c.i] == amfObjectEnd {
				c.i++
				return nil
			}
		}
		if err := c.skip(n); err != nil {
			return err
		}
		if err := c.value(depth + 1); err != nil {
			return err
		}
	}
}
