package rtmp

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/yutopp/go-rtmp/message"
)

// command sends an AMF0 command message: name, transaction id, command
// object, then args.
func (c *clientConn) command(streamID uint32, name string, tid float64, object map[string]any, args ...any) error {
	var buf bytes.Buffer
	enc := message.NewAMFEncoder(&buf, message.EncodingTypeAMF0)
	var obj any
	if object != nil {
		obj = object
	}
	for _, v := range append([]any{name, tid, obj}, args...) {
		if err := enc.Encode(v); err != nil {
			return fmt.Errorf("rtmp: encoding %s: %w", name, err)
		}
	}
	csid := byte(3)
	if streamID != 0 {
		csid = 8
	}
	return c.send(csid, msgCommandAMF0, streamID, buf.Bytes())
}

// maxAMFValues bounds the values decoded from one command.
const maxAMFValues = 16

// decodeAMF decodes the AMF0 values of a command or data message.
func decodeAMF(payload []byte) (vals []any, err error) {
	defer func() {
		// go-amf0 panics on some malformed input; a bad command is only
		// a malformed message.
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: AMF0: %v", ErrMalformed, r)
		}
	}()
	if err := checkAMF0(payload); err != nil {
		return nil, err // go-amf0 would trust its counts (see checkAMF0)
	}
	dec := message.NewAMFDecoder(bytes.NewReader(payload), message.EncodingTypeAMF0)
	for len(vals) < maxAMFValues {
		var v any
		if err := dec.Decode(&v); err != nil {
			if errors.Is(err, io.EOF) {
				return vals, nil
			}
			return vals, fmt.Errorf("%w: AMF0: %w", ErrMalformed, err)
		}
		vals = append(vals, v)
	}
	return vals, nil
}

// onStatusInfo returns the info object of an onStatus command, or nil when
// payload is another command or does not decode: a status we cannot read
// is not ours to judge, media still flows.
func onStatusInfo(payload []byte) map[string]any {
	vals, err := decodeAMF(payload)
	if err != nil || len(vals) < 4 {
		return nil
	}
	if name, _ := vals[0].(string); name != "onStatus" {
		return nil
	}
	info, _ := vals[3].(map[string]any)
	return info
}
