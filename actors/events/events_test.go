package events

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"streamhive/actors/config"
)

func TestFilter(t *testing.T) {
	started := Event{Event: StreamStarted, Media: "cam1"}
	lost := Event{Event: SourceLost, Media: "cam2", Fields: []Field{F("url", "rtmp://h/a"), F("input", 1)}}
	server := Event{Event: ConfigReloaded}
	for _, tc := range []struct {
		name string
		f    Filter
		pass []bool // started, lost, server
	}{
		{"none", Filter{}, []bool{true, true, true}},
		{"only event", Filter{Only: []config.EventFilter{{"event": {StreamStarted}}}}, []bool{true, false, false}},
		{"only prefix", Filter{Only: []config.EventFilter{{"event": {"source_*", "stream_*"}}}}, []bool{true, true, false}},
		{"only two fields", Filter{Only: []config.EventFilter{{"event": {"source_*", "stream_*"}, "media": {"cam2"}}}}, []bool{false, true, false}},
		{"only two sets", Filter{Only: []config.EventFilter{{"media": {"cam1"}}, {"event": {ConfigReloaded}}}}, []bool{true, false, true}},
		{"only other field", Filter{Only: []config.EventFilter{{"input": {"1"}}}}, []bool{false, true, false}},
		{"except media any", Filter{Except: []config.EventFilter{{"media": {"*"}}}}, []bool{false, false, true}},
		{"only and except", Filter{
			Only:   []config.EventFilter{{"event": {"s*"}}},
			Except: []config.EventFilter{{"media": {"cam1"}}},
		}, []bool{false, true, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for i, e := range []*Event{&started, &lost, &server} {
				if got := tc.f.Pass(e); got != tc.pass[i] {
					t.Errorf("%s: Pass = %v, want %v", e.Event, got, tc.pass[i])
				}
			}
		})
	}
}

func TestEventJSON(t *testing.T) {
	e := Event{
		Event: SourceLost, ID: 7, Time: time.UnixMilli(1700000000123), Media: "a\"b",
		Fields: []Field{F("url", "rtmp://h/x"), F("input", 1), F("bitrate", 2.5)},
	}
	got := string(AppendBatch(nil, []Event{e, {Event: ConfigReloaded, ID: 8, Time: time.UnixMilli(1)}}))
	want := `[{"event":"source_lost","event_id":7,"utc_ms":1700000000123,"media":"a\"b","url":"rtmp://h/x","input":1,"bitrate":2.5},` +
		`{"event":"config_reloaded","event_id":8,"utc_ms":1}]`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// fakeTarget records delivered batches; it fails while down is set.
type fakeTarget struct {
	mu      sync.Mutex
	down    bool
	tries   int
	batches [][]Event
}

func (f *fakeTarget) Deliver(_ context.Context, batch []Event) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tries++
	if f.down {
		return errors.New("down")
	}
	f.batches = append(f.batches, slices.Clone(batch))
	return nil
}

func (f *fakeTarget) set(down bool) {
	f.mu.Lock()
	f.down = down
	f.mu.Unlock()
}

func (f *fakeTarget) ids() []uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ids []uint64
	for _, b := range f.batches {
		for _, e := range b {
			ids = append(ids, e.ID)
		}
	}
	return ids
}

func newTestBus(target *fakeTarget, o Options) *Bus {
	o.Target = func(string) Target { return target }
	o.Log = slog.New(slog.DiscardHandler)
	return New(o)
}

func seq(from, to uint64) []uint64 {
	var s []uint64
	for i := from; i <= to; i++ {
		s = append(s, i)
	}
	return s
}

// TestBatching: events that wait when the sink gets to them go in one
// batch, at most MaxBatch; a throttled sink waits throttle_delay first.
func TestBatching(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		target := &fakeTarget{}
		b := newTestBus(target, Options{})
		defer b.Close()
		b.Configure([]config.EventSink{{Name: "s", URL: "http://h/e", ThrottleDelay: 2}})
		for range 5 {
			b.Publish(Event{Event: StreamStarted})
		}
		time.Sleep(time.Second)
		synctest.Wait()
		if n := len(target.ids()); n != 0 {
			t.Fatalf("a throttled sink sent %d events within its delay", n)
		}
		time.Sleep(2 * time.Second)
		synctest.Wait()
		if len(target.batches) != 1 || len(target.batches[0]) != 5 {
			t.Fatalf("batches %v, want one of 5", target.batches)
		}
	})
}

// TestBatchLimit: what waits while a delivery is retried goes out
// MaxBatch events a POST, in order.
func TestBatchLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		target := &fakeTarget{down: true}
		b := newTestBus(target, Options{})
		defer b.Close()
		b.Configure([]config.EventSink{{Name: "s", URL: "http://h/e"}})
		b.Publish(Event{Event: StreamStarted})
		synctest.Wait() // the sink retries the first event
		for range 2*MaxBatch + 1 {
			b.Publish(Event{Event: StreamStopped})
		}
		target.set(false)
		time.Sleep(5 * time.Second)
		synctest.Wait()
		var sizes []int
		for _, batch := range target.batches {
			sizes = append(sizes, len(batch))
		}
		if !slices.Equal(sizes, []int{1, MaxBatch, MaxBatch, 1}) {
			t.Errorf("batch sizes %v", sizes)
		}
		if ids := target.ids(); !slices.Equal(ids, seq(1, 2*MaxBatch+2)) {
			t.Errorf("order: %v", ids)
		}
	})
}

// TestRetryBackoffOrder: a failing target is retried with a doubling
// delay capped by resend_timeout; once it takes events again they all
// arrive, in order; nothing is lost within the queue bound.
func TestRetryBackoffOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		target := &fakeTarget{down: true}
		b := newTestBus(target, Options{RetryInitial: time.Second})
		defer b.Close()
		b.Configure([]config.EventSink{{Name: "s", URL: "http://h/e", ResendTimeout: 8, ResendLimit: 500}})
		b.Publish(Event{Event: SourceLost})
		synctest.Wait()
		start := time.Now()
		// Tries at 0, then after [0.5,1), [1,2), [2,4), [4,8), [4,8) ... s:
		// within 30 s, between 5 and 9 tries.
		for range 300 {
			b.Publish(Event{Event: SourceReady})
			time.Sleep(100 * time.Millisecond)
		}
		synctest.Wait()
		if tries := target.tries; tries < 5 || tries > 9 {
			t.Errorf("%d tries in %v", tries, time.Since(start))
		}
		target.set(false)
		time.Sleep(8 * time.Second)
		synctest.Wait()
		if ids := target.ids(); !slices.Equal(ids, seq(1, 301)) {
			t.Errorf("delivered %d events, want 1..301 in order: %v", len(ids), ids)
		}
		st := b.Sinks()[0]
		if st.Dropped != 0 || st.Delivered != 301 || st.Failures == 0 || st.LastError != "down" {
			t.Errorf("stats %+v", st)
		}
	})
}

// TestQueueBound: a sink whose target is down keeps resend_limit events
// (and the batch in flight); the rest are counted as dropped, and
// Publish never blocks.
func TestQueueBound(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		target := &fakeTarget{down: true}
		b := newTestBus(target, Options{})
		defer b.Close()
		b.Configure([]config.EventSink{{Name: "s", URL: "http://h/e", ResendLimit: 10}})
		b.Publish(Event{Event: StreamStarted}) // taken as the batch in flight
		synctest.Wait()
		for range 25 {
			b.Publish(Event{Event: StreamStopped})
		}
		st := b.Sinks()[0]
		if st.Queued != 10 || st.Dropped != 15 || st.Limit != 10 {
			t.Errorf("stats %+v", st)
		}
		target.set(false)
		time.Sleep(time.Minute)
		synctest.Wait()
		if ids := target.ids(); !slices.Equal(ids, seq(1, 11)) {
			t.Errorf("delivered %v", ids)
		}
	})
}

// TestConfigureKeepsUnchangedSinks: a reload that leaves a sink as it was
// keeps its queue; a changed sink is replaced; a removed one stops.
func TestConfigureKeepsUnchangedSinks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		target := &fakeTarget{down: true}
		b := newTestBus(target, Options{})
		a := config.EventSink{Name: "a", URL: "http://h/a"}
		b.Configure([]config.EventSink{a, {Name: "b", URL: "http://h/b"}})
		b.Publish(Event{Event: StreamStarted})
		b.Publish(Event{Event: StreamStarted})
		synctest.Wait()
		b.Configure([]config.EventSink{a})
		if st := b.Sinks(); len(st) != 1 || st[0].Failures == 0 {
			t.Errorf("after the reload: %+v", st)
		}
		b.Close()
		if len(b.Sinks()) != 0 {
			t.Error("Close left sinks")
		}
	})
}

func TestRecent(t *testing.T) {
	b := New(Options{Recent: 3})
	for range 5 {
		b.Publish(Event{Event: StreamStarted})
	}
	ids := func(es []Event) []uint64 {
		var out []uint64
		for _, e := range es {
			out = append(out, e.ID)
		}
		return out
	}
	if got := ids(b.Recent(0, 10)); !slices.Equal(got, []uint64{3, 4, 5}) {
		t.Errorf("Recent(0, 10) = %v", got)
	}
	if got := ids(b.Recent(3, 10)); !slices.Equal(got, []uint64{4, 5}) {
		t.Errorf("Recent(3, 10) = %v", got)
	}
	if got := ids(b.Recent(0, 1)); !slices.Equal(got, []uint64{5}) {
		t.Errorf("Recent(0, 1) = %v", got)
	}
	var nilBus *Bus
	nilBus.Publish(Event{Event: StreamStarted}) // a part built without a bus
}

// TestHTTPTarget: a real handler on 127.0.0.1 gets a JSON array per POST;
// an error status is a failed delivery.
func TestHTTPTarget(t *testing.T) {
	var mu sync.Mutex
	var bodies []string
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := make([]byte, r.ContentLength)
		_, _ = r.Body.Read(body)
		mu.Lock()
		defer mu.Unlock()
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s", r.Method, r.Header.Get("Content-Type"))
		}
		bodies = append(bodies, string(body))
		w.WriteHeader(status)
	}))
	defer srv.Close()
	tg := newTarget(srv.URL+"/hook", srv.Client())
	batch := []Event{{Event: StreamStarted, ID: 1, Time: time.UnixMilli(5), Media: "a"}}
	if err := tg.Deliver(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	status = http.StatusInternalServerError
	if err := tg.Deliver(context.Background(), batch); err == nil || !strings.Contains(err.Error(), "HTTP 500") {
		t.Errorf("a 500: %v", err)
	}
	if len(bodies) != 2 || bodies[0] != `[{"event":"stream_started","event_id":1,"utc_ms":5,"media":"a"}]` {
		t.Errorf("bodies %q", bodies)
	}
}

func TestLogTargets(t *testing.T) {
	dir := t.TempDir()
	batch := []Event{{Event: SourceLost, ID: 2, Time: time.UnixMilli(0), Media: "a", Fields: []Field{F("reason", "eof")}}}
	for _, tc := range []struct{ url, want string }{
		{"log://" + filepath.Join(dir, "e.log"), `1970-01-01T00:00:00.000Z event=source_lost event_id=2 media="a" reason="eof"` + "\n"},
		{"jsonlog://" + filepath.Join(dir, "e.json"), `{"event":"source_lost","event_id":2,"utc_ms":0,"media":"a","reason":"eof"}` + "\n"},
	} {
		tg := newTarget(tc.url, nil)
		for range 2 {
			if err := tg.Deliver(context.Background(), batch); err != nil {
				t.Fatal(err)
			}
		}
		_, path, _ := strings.Cut(tc.url, "://")
		got, err := os.ReadFile(path)
		if err != nil || string(got) != tc.want+tc.want {
			t.Errorf("%s: %q %v", tc.url, got, err)
		}
	}
	if err := newTarget("log:///nonexistent/dir/e.log", nil).Deliver(context.Background(), batch); err == nil {
		t.Error("an unwritable log: no error")
	}
}

// TestMetrics: each sink's counters are in /metrics while the bus runs,
// labelled by its name, and gone after Close.
func TestMetrics(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		target := &fakeTarget{down: true}
		b := newTestBus(target, Options{})
		b.Configure([]config.EventSink{{Name: "metered", URL: "http://u:pw@h/e", ResendLimit: 1}})
		for range 3 {
			b.Publish(Event{Event: StreamStarted})
		}
		var w strings.Builder
		metrics.WritePrometheus(&w, false)
		if !strings.Contains(w.String(), `streamhive_event_sink_dropped_total{sink="metered"}`) || strings.Contains(w.String(), "pw@") {
			t.Errorf("metrics:\n%s", w.String())
		}
		b.Close()
		w.Reset()
		metrics.WritePrometheus(&w, false)
		if strings.Contains(w.String(), `sink="metered"`) {
			t.Error("the series outlived the bus")
		}
	})
}
