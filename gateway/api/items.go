package api

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
)

// Writing list envelopes (collection_response) and single items.

// bufPool recycles response buffers; SetBody copies out of them.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

// writeList writes the page as the collection's list envelope:
// {"estimated_count":N,"next":…,"prev":…,"streams":[…],"timing":{…}}.
func writeList(rc *fasthttp.RequestCtx, c *collection, p page, sel []*selNode, start time.Time) {
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	b := (*bp)[:0]
	b = append(b, `{"estimated_count":`...)
	b = strconv.AppendInt(b, int64(p.total), 10)
	b = appendCursor(append(b, `,"next":`...), p.next)
	b = appendCursor(append(b, `,"prev":`...), p.prev)
	b = append(b, `,"`...)
	b = append(b, c.key...)
	b = append(b, `":[`...)
	for i := range p.items {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = c.appendItem(b, &p.items[i], sel); err != nil {
			*bp = b
			panic("api: config item does not marshal: " + err.Error())
		}
	}
	b = append(b, `],"timing":{"total_ms":`...)
	b = strconv.AppendFloat(b, float64(time.Since(start).Microseconds())/1000, 'f', 3, 64)
	b = append(b, "}}"...)
	writeRawJSON(rc, fasthttp.StatusOK, b)
	*bp = b
}

// appendCursor writes a cursor or null. Cursors are base64: no escaping.
func appendCursor(b []byte, cur string) []byte {
	if cur == "" {
		return append(b, "null"...)
	}
	b = append(b, '"')
	b = append(b, cur...)
	return append(b, '"')
}

// writeItem writes one item (GET, or the result of a PUT).
func writeItem(rc *fasthttp.RequestCtx, c *collection, x *cand) {
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	b, err := c.appendItem((*bp)[:0], x, nil)
	if err != nil {
		panic("api: config item does not marshal: " + err.Error())
	}
	writeRawJSON(rc, fasthttp.StatusOK, b)
	*bp = b
}

// appendItem appends the JSON of one item: the config item's cached JSON
// with, for streams, "stats" added; or the selected fields of it.
func (c *collection) appendItem(b []byte, x *cand, sel []*selNode) ([]byte, error) {
	if sel != nil {
		return c.appendSelectedItem(b, x, sel)
	}
	raw, err := itemJSON(x) // pushes.go: the cached JSON unless pushes have stats
	if err != nil {
		return b, err
	}
	if !c.stats || x.stats == nil || len(raw) < 2 {
		return append(b, raw...), nil
	}
	b = append(b, raw[:len(raw)-1]...)
	if len(raw) > 2 {
		b = append(b, ',')
	}
	b = append(b, `"stats":`...)
	b, err = appendStats(b, x.stats)
	if err != nil {
		return b, err
	}
	return append(b, '}'), nil
}

// statsEncoder encodes stats into a reused buffer, sparing json.Marshal's
// result allocation per item of a list.
type statsEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

var statsEncoders = sync.Pool{New: func() any {
	e := &statsEncoder{}
	e.enc = json.NewEncoder(&e.buf)
	return e
}}

func appendStats(b []byte, st *StreamStats) ([]byte, error) {
	e := statsEncoders.Get().(*statsEncoder)
	defer statsEncoders.Put(e)
	e.buf.Reset()
	if err := e.enc.Encode(st); err != nil {
		return b, err
	}
	return append(b, bytes.TrimSuffix(e.buf.Bytes(), []byte{'\n'})...), nil
}

func (c *collection) appendSelectedItem(b []byte, x *cand, sel []*selNode) ([]byte, error) {
	v := reflect.ValueOf(x.e.item).Elem()
	fields := fieldsOf(v.Type())
	return appendSelectedFields(b, sel, func(name string) (reflect.Value, bool) {
		if c.stats && name == "stats" {
			return reflect.ValueOf(x.stats), x.stats != nil
		}
		if pushes, ok := pushesWithStats(x); ok && name == "pushes" {
			return reflect.ValueOf(pushes), true
		}
		f, ok := fields[name]
		if !ok {
			return reflect.Value{}, false
		}
		fv := v.FieldByIndex(f.index)
		return fv, !f.omitEmpty || !isEmptyValue(fv)
	})
}
