package rtmp

import (
	"bytes"
	"errors"
	"testing"

	"github.com/yutopp/go-rtmp/message"
)

func TestCheckAMF0(t *testing.T) {
	var good bytes.Buffer
	enc := message.NewAMFEncoder(&good, message.EncodingTypeAMF0)
	for _, v := range []any{
		"onStatus", 0.0, nil,
		map[string]any{
			"level": "status", "code": "NetStream.Publish.Start", "n": 3.0, "ok": true,
			"nested": map[string]any{"list": []any{1.0, "two", nil}},
		},
		[]any{"a", 2.0, []any{}},
	} {
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
	}
	if err := checkAMF0(good.Bytes()); err != nil {
		t.Fatalf("go-amf0's own encoding refused: %v", err)
	}
	if _, err := decodeAMF(good.Bytes()); err != nil {
		t.Fatalf("decodeAMF: %v", err)
	}

	for name, b := range map[string][]byte{
		// A strict array claiming 1.6 billion elements in 6 bytes: what
		// made go-amf0 allocate 26 GB (fuzz finding).
		"huge strict array":        {0x0a, 'a', '3', '0', '0', 0x00},
		"long string past the end": {0x0c, 0, 0, 0x10, 0, 'x'},
		"string past the end":      {0x02, 0, 9, 'a'},
		"object without end":       {0x03, 0, 1, 'k', 0x05},
		"unknown marker":           {0x11},
		"truncated number":         {0x00, 1, 2},
		"too deep":                 bytes.Repeat([]byte{0x0a, 0, 0, 0, 1}, maxAMFDepth+2),
	} {
		err := checkAMF0(b)
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v, want ErrMalformed", name, err)
		}
		if _, err := decodeAMF(b); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: decodeAMF %v, want ErrMalformed", name, err)
		}
	}
}

// FuzzCheckAMF0: whatever checkAMF0 accepts, go-amf0 decodes without
// panicking beyond decodeAMF's recover and without a runaway allocation.
func FuzzCheckAMF0(f *testing.F) {
	f.Add([]byte{0x02, 0, 8, 'o', 'n', 'S', 't', 'a', 't', 'u', 's', 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x05})
	f.Add([]byte{0x0a, 0, 0, 0, 2, 0x05, 0x06})
	f.Add([]byte{0x08, 0, 0, 0, 1, 0, 1, 'a', 0x01, 1, 0, 0, 0x09})
	f.Fuzz(func(_ *testing.T, b []byte) {
		if checkAMF0(b) == nil {
			_, _ = decodeAMF(b)
		}
	})
}
