package api

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// Cursors. Flussonic's are base64 of a URL query naming a position
// (the schema's example decodes to `$position_gt=1`). Ours are the same
// shape, `$after=[...]` or `$before=[...]`, where the list holds the sort
// key values of the item the page starts after (or ends before), the
// item's name last. Paging by key values rather than by offset keeps pages
// stable while items are added or removed: an item is never returned
// twice, and none present throughout is skipped. A cursor is only
// meaningful with the sort it was made for.

const (
	cursorAfter  = "$after"
	cursorBefore = "$before"
)

// cursor is a decoded cursor: the boundary keys and which side of them the
// page lies on.
type cursor struct {
	before bool
	keys   []scalar
}

func encodeCursor(before bool, keys []scalar) string {
	vals := make([]any, len(keys))
	for i, k := range keys {
		vals[i] = k.toAny()
	}
	js, err := json.Marshal(vals)
	if err != nil {
		panic("api: cursor keys are JSON scalars: " + err.Error())
	}
	name := cursorAfter
	if before {
		name = cursorBefore
	}
	q := url.Values{name: {string(js)}}.Encode()
	return base64.StdEncoding.EncodeToString([]byte(q))
}

// decodeCursor accepts what encodeCursor made, also after a client or a
// query decoder turned `+` into a space or used the URL alphabet.
func decodeCursor(s string) (*cursor, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "+")
	var raw []byte
	var err error
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if raw, err = enc.DecodeString(s); err == nil {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%w: cursor is not base64", ErrBadRequest)
	}
	q, err := url.ParseQuery(string(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: cursor: %w", ErrBadRequest, err)
	}
	c := &cursor{}
	js := q.Get(cursorAfter)
	if js == "" {
		js, c.before = q.Get(cursorBefore), true
	}
	var vals []any
	if js == "" || json.Unmarshal([]byte(js), &vals) != nil || len(vals) == 0 {
		return nil, fmt.Errorf("%w: cursor has no position", ErrBadRequest)
	}
	c.keys = make([]scalar, len(vals))
	for i, v := range vals {
		c.keys[i] = anyScalar(v)
	}
	return c, nil
}
