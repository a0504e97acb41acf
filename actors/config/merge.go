package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The Control API's PUT is a deep partial merge of the body into the
// current object's JSON (RFC 7396 JSON Merge Patch, plus Flussonic's
// "$reset"):
//   - objects merge key by key, recursively;
//   - a null value removes the key;
//   - an object that carries "$reset": true replaces the current object
//     instead of merging into it (the "$reset" key itself is dropped);
//   - arrays and scalars replace.

// resetKey marks an object that replaces rather than merges.
const resetKey = "$reset"

// mergePatch merges patch (a JSON document) into the JSON of cur and
// decodes the result into out, rejecting unknown keys. T is the model type
// the patch describes; read-only keys in patch (stats) are dropped first.
func mergePatch[T any](cur *T, patch []byte, out *T) error {
	p, err := decodeJSON(patch)
	if err != nil {
		return fmt.Errorf("%w: body: %w", ErrInvalid, err)
	}
	if _, ok := p.(map[string]any); !ok {
		return fmt.Errorf("%w: body: want a JSON object", ErrInvalid)
	}
	if errs := checkKeys(p, typeOf[T](), ""); len(errs) > 0 {
		return errs.err()
	}
	base, err := toGeneric(cur)
	if err != nil {
		return err
	}
	merged := mergeValue(base, p)
	return decodeStrict(merged, out)
}

// decodeJSON reads exactly one JSON value, numbers kept as json.Number so
// that large integers survive the round trip.
func decodeJSON(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("trailing data after the JSON value")
	}
	return v, nil
}

// toGeneric is v's JSON as maps, slices and json.Numbers.
func toGeneric(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return decodeJSON(b)
}

// mergeValue returns patch merged into cur. cur may be modified.
func mergeValue(cur, patch any) any {
	pm, ok := patch.(map[string]any)
	if !ok {
		return clean(patch)
	}
	if r, _ := pm[resetKey].(bool); r {
		return clean(pm)
	}
	cm, ok := cur.(map[string]any)
	if !ok {
		return clean(pm)
	}
	for k, v := range pm {
		switch {
		case k == resetKey:
		case v == nil:
			delete(cm, k)
		default:
			cm[k] = mergeValue(cm[k], v)
		}
	}
	return cm
}

// clean strips "$reset" keys and null members from a value that replaces
// rather than merges: there is nothing for them to act on.
func clean(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if k == resetKey || e == nil {
				delete(x, k)
				continue
			}
			x[k] = clean(e)
		}
	case []any:
		for i, e := range x {
			x[i] = clean(e)
		}
	}
	return v
}

// decodeStrict decodes a generic document into out with unknown fields
// rejected, mapping every error to ErrInvalid.
func decodeStrict(v any, out any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(out); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			ptr := "/" + strings.ReplaceAll(te.Field, ".", "/")
			return &Error{Pointer: ptr, Msg: fmt.Sprintf("want %s, got JSON %s", te.Type, te.Value)}
		}
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return nil
}

// pointerToken escapes one JSON pointer reference token (RFC 6901 §3).
func pointerToken(s string) string {
	s = strings.ReplaceAll(s, "~", "~0")
	return strings.ReplaceAll(s, "/", "~1")
}
