package events

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"streamhive/actors/config"
)

// Defaults of a Bus's Options.
const (
	// DefaultQueueLimit is a sink's queue without resend_limit: some
	// minutes of a busy server's events, a few MB at most.
	DefaultQueueLimit = 10000
	// MaxQueueLimit caps resend_limit: Flussonic's default is unlimited,
	// ours must stay bounded.
	MaxQueueLimit = 1_000_000
	// MaxBatch is the most events one POST carries; also the count at
	// which a throttled sink sends at once (Flussonic's 100).
	MaxBatch = 100
	// DefaultRecent is how many of the last events Recent keeps.
	DefaultRecent = 1000
)

// Options configure a Bus; zero fields take the defaults.
type Options struct {
	Client       *http.Client // HTTP sinks' client; nil: one with a 10 s timeout
	Log          *slog.Logger // delivery failures; nil: slog.Default()
	Now          func() time.Time
	QueueLimit   int           // a sink's queue without resend_limit
	Recent       int           // events kept for Recent
	RetryInitial time.Duration // first retry delay (1 s)
	RetryMax     time.Duration // cap without resend_timeout (30 s)
	// Target makes a sink's target from its URL; nil: by its scheme
	// (HTTP, log file). Tests substitute their own.
	Target func(url string) Target
}

// Bus stamps events and hands each to the sinks whose filter passes it.
// Safe for concurrent use; the zero value is not usable (New), a nil Bus
// drops everything (a part built without one publishes into nothing).
type Bus struct {
	opts         Options
	metrics      *metrics.Set // unregistered by Close
	closeMetrics sync.Once

	// mu orders Publish: event IDs and every queue's order agree. It is
	// held for a few non-blocking channel sends, never for I/O.
	mu     sync.Mutex
	seq    uint64
	sinks  []*sink
	recent []Event // a ring of the last opts.Recent events
	next   int     // where the ring writes next
}

// New returns a bus with no sinks (Configure adds them).
func New(o Options) *Bus {
	if o.Client == nil {
		o.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Target == nil {
		client := o.Client
		o.Target = func(url string) Target { return newTarget(url, client) }
	}
	o.QueueLimit = cmpOr(o.QueueLimit, DefaultQueueLimit)
	o.Recent = cmpOr(o.Recent, DefaultRecent)
	o.RetryInitial = cmpOr(o.RetryInitial, time.Second)
	o.RetryMax = cmpOr(o.RetryMax, 30*time.Second)
	b := &Bus{opts: o}
	b.metrics = b.registerMetrics()
	return b
}

func cmpOr[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// Publish stamps e (ID, Time) and offers it to every sink that takes it.
// It never blocks: a sink whose queue is full drops it and counts it.
func (b *Bus) Publish(e Event) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.seq++
	e.ID, e.Time = b.seq, b.opts.Now()
	for _, s := range b.sinks {
		s.offer(&e)
	}
	if len(b.recent) < b.opts.Recent {
		b.recent = append(b.recent, e)
	} else {
		b.recent[b.next] = e
	}
	b.next = (b.next + 1) % b.opts.Recent
}

// Recent returns the kept events with an ID above after, oldest first,
// at most limit of them (the newest ones).
func (b *Bus) Recent(after uint64, limit int) []Event {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := len(b.recent)
	out := make([]Event, 0, min(n, max(limit, 0)))
	start := 0
	if n == b.opts.Recent {
		start = b.next
	}
	for i := range n {
		if e := b.recent[(start+i)%n]; e.ID > after {
			out = append(out, e)
		}
	}
	if len(out) > limit {
		out = out[len(out)-limit:]
	}
	return out
}

// Configure makes the bus deliver to list: a sink whose configuration is
// unchanged keeps its queue and goroutine, the others are started, and
// those gone are stopped (what they held is dropped).
func (b *Bus) Configure(list []config.EventSink) {
	b.mu.Lock()
	old := map[string]*sink{}
	for _, s := range b.sinks {
		old[s.key] = s
	}
	next := make([]*sink, 0, len(list))
	for i := range list {
		key := sinkKey(&list[i])
		if s, ok := old[key]; ok {
			delete(old, key)
			next = append(next, s)
			continue
		}
		next = append(next, b.start(&list[i], key))
	}
	b.sinks = next
	b.mu.Unlock()
	for _, s := range old {
		s.close()
	}
}

// Close stops every sink and removes the bus's metrics.
func (b *Bus) Close() {
	b.Configure(nil)
	b.closeMetrics.Do(func() { metrics.UnregisterSet(b.metrics, true) })
}

// Sinks returns each sink's counters, in configuration order.
func (b *Bus) Sinks() []SinkStats {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]SinkStats, len(b.sinks))
	for i, s := range b.sinks {
		out[i] = s.stats()
	}
	return out
}

// sinkKey identifies a sink's configuration: the same key, the same sink.
func sinkKey(c *config.EventSink) string {
	j, _ := json.Marshal(c)
	return string(j)
}
