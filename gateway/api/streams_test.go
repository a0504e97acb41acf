package api

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/actors/config"
	"streamhive/media/stats"
)

const bunnyConf = `
stream live/bunny { title "Big Buck Bunny"; input fake://; }
stream cam1 { title "Front door"; input rtsp://10.0.0.1/main; input fake:// backup; }
stream news { input publish://; }
`

func TestStreamGet(t *testing.T) {
	h := newHarness(t, testConfig(t, bunnyConf))
	h.ctl.SetStats("cam1", &stats.Stream{Alive: true, State: "running", Lifetime: 1234 * time.Millisecond, Bitrate: 900_000})

	r := h.get("streams/cam1")
	mustStatus(t, r, fasthttp.StatusOK)
	var st streamItem
	r.json(t, &st)
	if st.Name != "cam1" || st.Title != "Front door" || len(st.Inputs) != 2 || !st.Inputs[1].Backup {
		t.Errorf("stream %+v", st)
	}
	if st.Stats == nil || !st.Stats.Alive || st.Stats.Lifetime != 1234 || st.Stats.Bitrate != 900 {
		t.Errorf("stats %+v", st.Stats)
	}

	// A configured stream that is not running has stats saying so.
	r = h.get("streams/news")
	mustStatus(t, r, fasthttp.StatusOK)
	st = streamItem{}
	r.json(t, &st)
	if st.Stats == nil || st.Stats.Alive {
		t.Errorf("idle stream stats %+v", st.Stats)
	}

	// Names with a slash, raw or percent-encoded; the alias prefix.
	for _, path := range []string{"streams/live/bunny", "streams/live%2Fbunny", AliasPrefix + "streams/live/bunny"} {
		r = h.get(path)
		mustStatus(t, r, fasthttp.StatusOK)
		st = streamItem{}
		r.json(t, &st)
		if st.Name != "live/bunny" {
			t.Errorf("%s: name %q", path, st.Name)
		}
	}

	mustError(t, h.get("streams/nope"), fasthttp.StatusNotFound, "not_found")
	mustError(t, h.get("streams/live"), fasthttp.StatusNotFound, "not_found")
}

func TestStreamsListEnvelope(t *testing.T) {
	h := newHarness(t, testConfig(t, bunnyConf))
	r := h.get("streams")
	mustStatus(t, r, fasthttp.StatusOK)
	var raw map[string]any
	r.json(t, &raw)
	for _, k := range []string{"estimated_count", "next", "prev", "streams", "timing"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("envelope lacks %q: %s", k, r.body)
		}
	}
	var l listBody
	r.json(t, &l)
	if l.EstimatedCount != 3 || l.Next != nil || l.Prev != nil {
		t.Errorf("envelope %+v", l)
	}
	// Default order: position (all 0 here), then name.
	if got, want := names(l.Streams), []string{"cam1", "live/bunny", "news"}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	for _, s := range l.Streams {
		if _, ok := s["stats"].(map[string]any); !ok {
			t.Errorf("stream %v has no stats", s["name"])
		}
	}
}

// pageThrough follows next cursors from query and returns every page's
// names and the cursors seen.
func pageThrough(t *testing.T, h *harness, query string) (pages [][]string, bodies []listBody) {
	t.Helper()
	path := "streams?" + query
	for range 100 {
		var l listBody
		r := h.get(path)
		mustStatus(t, r, fasthttp.StatusOK)
		r.json(t, &l)
		pages, bodies = append(pages, names(l.Streams)), append(bodies, l)
		if l.Next == nil {
			return pages, bodies
		}
		path = "streams?" + query + "&cursor=" + url.QueryEscape(*l.Next)
	}
	t.Fatal("paging does not end")
	return nil, nil
}

func TestCursorPaging(t *testing.T) {
	h := newHarness(t, manyStreams(t, 250))
	pages, bodies := pageThrough(t, h, "limit=100")
	if len(pages) != 3 || len(pages[0]) != 100 || len(pages[1]) != 100 || len(pages[2]) != 50 {
		t.Fatalf("page sizes %d", len(pages))
	}
	seen := map[string]int{}
	var all []string
	for _, p := range pages {
		for _, n := range p {
			seen[n]++
			all = append(all, n)
		}
	}
	if len(seen) != 250 {
		t.Errorf("%d distinct streams, want 250", len(seen))
	}
	for n, c := range seen {
		if c != 1 {
			t.Errorf("%s returned %d times", n, c)
		}
	}
	// Position n-i reverses the names.
	if all[0] != "s0249" || all[249] != "s0000" {
		t.Errorf("order starts %s ends %s", all[0], all[249])
	}
	for i, b := range bodies {
		if b.EstimatedCount != 250 {
			t.Errorf("page %d estimated_count %d", i, b.EstimatedCount)
		}
	}
	if bodies[0].Prev != nil || bodies[2].Next != nil {
		t.Errorf("first page prev %v, last page next %v", bodies[0].Prev, bodies[2].Next)
	}

	// prev goes back: from page 3 to page 2, from page 2 to page 1.
	for i := 2; i >= 1; i-- {
		var l listBody
		r := h.get("streams?limit=100&cursor=" + url.QueryEscape(*bodies[i].Prev))
		mustStatus(t, r, fasthttp.StatusOK)
		r.json(t, &l)
		if !slices.Equal(names(l.Streams), pages[i-1]) {
			t.Errorf("prev of page %d is not page %d", i+1, i)
		}
	}

	// The cursor survives a client that sends `+` unescaped.
	r := h.get("streams?limit=100&cursor=" + *bodies[0].Next)
	mustStatus(t, r, fasthttp.StatusOK)

	// Paging is stable when an item before the page is removed meanwhile.
	if err := h.ctl.Apply(t.Context(), config.DeleteStream{Name: pages[0][0]}); err != nil {
		t.Fatal(err)
	}
	var l listBody
	h.get("streams?limit=100&cursor="+url.QueryEscape(*bodies[0].Next)).json(t, &l)
	if !slices.Equal(names(l.Streams), pages[1]) {
		t.Errorf("page 2 changed after a deletion on page 1")
	}

	mustError(t, h.get("streams?cursor=!!notbase64"), fasthttp.StatusBadRequest, "bad_request")
	mustError(t, h.get("streams?limit=-1"), fasthttp.StatusBadRequest, "bad_request")
	mustError(t, h.get("streams?sort=name,title&cursor="+url.QueryEscape(*bodies[0].Next)), fasthttp.StatusBadRequest, "bad_request")
}

func TestCursorPagingSorted(t *testing.T) {
	h := newHarness(t, manyStreams(t, 250))
	for i := range 250 {
		// Lifetimes with ties, so the name must break them.
		h.ctl.SetStats(h.ctl.Config().Streams[i].Name, &stats.Stream{Alive: i%2 == 0, Lifetime: time.Duration(i%7) * time.Millisecond})
	}
	pages, _ := pageThrough(t, h, "limit=30&sort=-stats.lifetime")
	var all []string
	for _, p := range pages {
		all = append(all, p...)
	}
	if len(all) != 250 {
		t.Fatalf("%d streams over the pages", len(all))
	}
	if len(slices.Compact(slices.Sorted(slices.Values(all)))) != 250 {
		t.Errorf("duplicates across pages")
	}
}

func TestListSelect(t *testing.T) {
	h := newHarness(t, testConfig(t, bunnyConf))
	h.ctl.SetStats("cam1", &stats.Stream{Alive: true, Lifetime: 5 * time.Millisecond})
	r := h.get("streams?select=name,stats.alive,inputs.url&name=cam1")
	mustStatus(t, r, fasthttp.StatusOK)
	want := `"streams":[{"name":"cam1","stats":{"alive":true},"inputs":[{"url":"rtsp://10.0.0.1/main"},{"url":"fake://"}]}]`
	if !strings.Contains(string(r.body), want) {
		t.Errorf("body %s\nwant %s", r.body, want)
	}
	// Omitted empty fields stay omitted; unknown fields are left out.
	r = h.get("streams?select=name,comment,nonsense&name=news")
	if !strings.Contains(string(r.body), `"streams":[{"name":"news"}]`) {
		t.Errorf("body %s", r.body)
	}
}

func TestListSort(t *testing.T) {
	cfg := manyStreams(t, 6) // s0000..s0005
	h := newHarness(t, cfg)
	lifetimes := []int64{30, 10, 30, 20, 10, 30}
	for i, lt := range lifetimes {
		h.ctl.SetStats(cfg.Streams[i].Name, &stats.Stream{Lifetime: time.Duration(lt) * time.Millisecond, Alive: lt > 10})
	}
	tests := []struct {
		sort string
		want []string
	}{
		{"name", []string{"s0000", "s0001", "s0002", "s0003", "s0004", "s0005"}},
		{"-name", []string{"s0005", "s0004", "s0003", "s0002", "s0001", "s0000"}},
		{"stats.lifetime", []string{"s0001", "s0004", "s0003", "s0000", "s0002", "s0005"}},
		{"-stats.lifetime", []string{"s0000", "s0002", "s0005", "s0003", "s0001", "s0004"}},
		{"-stats.lifetime,-name", []string{"s0005", "s0002", "s0000", "s0003", "s0004", "s0001"}},
		{"stats.alive,-position", []string{"s0001", "s0004", "s0000", "s0002", "s0003", "s0005"}},
	}
	for _, tt := range tests {
		t.Run(tt.sort, func(t *testing.T) {
			var l listBody
			r := h.get("streams?sort=" + url.QueryEscape(tt.sort))
			mustStatus(t, r, fasthttp.StatusOK)
			r.json(t, &l)
			if got := names(l.Streams); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestListFilters(t *testing.T) {
	cfg := testConfig(t, `
stream cam1 { title "Front Door"; input rtsp://10.0.0.1/main; }
stream cam2 { title "Back door"; input rtsp://10.0.0.2/main; input fake:// backup; }
stream news { comment "evening news"; input publish://; }
stream sport-hd { input fake://; }
`)
	h := newHarness(t, cfg)
	h.ctl.SetStats("cam1", &stats.Stream{Alive: true, Lifetime: 100 * time.Millisecond, Bitrate: 1_000_000})
	h.ctl.SetStats("cam2", &stats.Stream{Alive: true, Lifetime: 200 * time.Millisecond, Bitrate: 2_000_000})
	h.ctl.SetStats("news", &stats.Stream{Alive: false, Lifetime: 300 * time.Millisecond})
	tests := []struct {
		query string
		want  []string
	}{
		{"name=cam1", []string{"cam1"}},
		{"name_ne=cam1", []string{"cam2", "news", "sport-hd"}},
		{"stats.alive=true", []string{"cam1", "cam2"}},
		{"stats.alive=false", []string{"news", "sport-hd"}},
		{"stats.lifetime_gt=100", []string{"cam2", "news"}},
		{"stats.lifetime_gte=100", []string{"cam1", "cam2", "news"}},
		{"stats.lifetime_lt=200", []string{"cam1", "sport-hd"}},
		{"stats.lifetime_lte=200", []string{"cam1", "cam2", "sport-hd"}},
		{"stats.bitrate_gt=500&stats.bitrate_lt=1500", []string{"cam1"}},
		{"name_gt=cam2", []string{"news", "sport-hd"}},
		{"title_like=DOOR", []string{"cam1", "cam2"}},
		{"name_like=cam*", []string{"cam1", "cam2"}},
		{"name_like=*-hd", []string{"sport-hd"}},
		{"name_like=c*2", []string{"cam2"}},
		{"name_like=am", []string{"cam1", "cam2"}},
		{"inputs.url_like=10.0.0.2", []string{"cam2"}},
		{"inputs.backup=true", []string{"cam2"}},
		{"inputs.0.url=publish://", []string{"news"}},
		{"title=", []string{"news", "sport-hd"}},
		{"source_timeout=null", []string{"cam1", "cam2", "news", "sport-hd"}},
		{"stats.active_input=null", []string{"news", "sport-hd"}}, // alive streams have one
		{"disabled=false", []string{"cam1", "cam2", "news", "sport-hd"}},
		{"nonsense=1", []string{}},
		{"nonsense_ne=1", []string{"cam1", "cam2", "news", "sport-hd"}},
		{"q=door", []string{"cam1", "cam2"}},
		{"q=EVENING", []string{"news"}},
		{"q=10.0.0.1", []string{"cam1"}},
		{"q=door&stats.lifetime_gt=150", []string{"cam2"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var l listBody
			r := h.get("streams?sort=name&" + tt.query)
			mustStatus(t, r, fasthttp.StatusOK)
			r.json(t, &l)
			if got := names(l.Streams); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if l.EstimatedCount != len(tt.want) {
				t.Errorf("estimated_count %d, want %d", l.EstimatedCount, len(tt.want))
			}
		})
	}
}

func TestLimitZeroAndFormat(t *testing.T) {
	h := newHarness(t, testConfig(t, bunnyConf))
	var l listBody
	h.get("streams?limit=0").json(t, &l)
	if l.EstimatedCount != 3 || len(l.Streams) != 0 || l.Next != nil {
		t.Errorf("limit=0: %+v", l)
	}
	mustError(t, h.get("streams?format=openmetrics"), fasthttp.StatusBadRequest, "bad_request")
}
