package api

import (
	"slices"
	"testing"

	"github.com/valyala/fasthttp"
)

// TestListOffset: the schema pages by cursor, but a script may send
// offset: a count skips that many items where the page starts, and a value
// that is not a count is refused like limit=-1 (it used to be read as a
// filter on a field named offset and silently emptied the list).
func TestListOffset(t *testing.T) {
	h := newHarness(t, manyStreams(t, 10))
	var all, l listBody
	h.get("streams").json(t, &all)
	r := h.get("streams?limit=3&offset=4")
	mustStatus(t, r, fasthttp.StatusOK)
	r.json(t, &l)
	if got, want := names(l.Streams), names(all.Streams)[4:7]; !slices.Equal(got, want) {
		t.Errorf("limit=3&offset=4 gave %v, want %v", got, want)
	}
	if l.EstimatedCount != 10 || l.Next == nil || l.Prev == nil {
		t.Errorf("estimated_count %d, next %v, prev %v", l.EstimatedCount, l.Next, l.Prev)
	}
	l = listBody{}
	h.get("streams?offset=20").json(t, &l)
	if len(l.Streams) != 0 {
		t.Errorf("offset past the end gave %v", names(l.Streams))
	}
	for _, bad := range []string{"-5", "x", "", "1.5"} {
		mustError(t, h.get("streams?offset="+bad), fasthttp.StatusBadRequest, "bad_request")
	}
}
