package events

import (
	"context"
	"sync/atomic"
	"time"

	"streamhive/actors/config"
	"streamhive/supervision"
)

// Target delivers one batch; an error means none of it was taken (the
// batch is sent again, whole, after a backoff).
type Target interface {
	Deliver(ctx context.Context, batch []Event) error
}

// SinkStats are one sink's counters.
type SinkStats struct {
	Name      string `json:"name"`
	URL       string `json:"url"`    // credentials masked
	Queued    int    `json:"queued"` // waiting, the batch in flight not included
	Limit     int    `json:"queue_limit"`
	Delivered uint64 `json:"delivered"`
	Dropped   uint64 `json:"dropped"`  // overflowed the queue: lost
	Failures  uint64 `json:"failures"` // deliveries that failed (each retried)
	LastError string `json:"last_error,omitempty"`
}

// sink is one event_sink: a bounded queue and the goroutine that empties
// it into its target, one batch at a time, in order.
type sink struct {
	key      string
	name     string
	url      string
	filter   Filter
	target   Target
	q        chan Event
	throttle time.Duration
	backoff  supervision.Backoff
	log      func(msg string, args ...any)

	delivered, dropped, failures atomic.Uint64
	lastErr                      atomic.Pointer[string]

	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
}

func (b *Bus) start(c *config.EventSink, key string) *sink {
	limit := b.opts.QueueLimit
	if c.ResendLimit > 0 {
		limit = min(c.ResendLimit, MaxQueueLimit)
	}
	retryMax := b.opts.RetryMax
	if c.ResendTimeout > 0 {
		retryMax = time.Duration(c.ResendTimeout) * time.Second
	}
	s := &sink{
		key: key, name: c.Name, url: config.RedactURL(c.URL),
		filter:   Filter{Only: c.Only, Except: c.Except},
		target:   b.opts.Target(c.URL),
		q:        make(chan Event, limit),
		throttle: time.Duration(c.ThrottleDelay) * time.Second,
		backoff:  supervision.Backoff{Initial: min(b.opts.RetryInitial, retryMax), Max: retryMax},
		log:      b.opts.Log.With("event_sink", c.Name).Warn,
		done:     make(chan struct{}),
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	go s.run()
	return s
}

// offer queues e if the filter passes it; a full queue drops it.
func (s *sink) offer(e *Event) {
	if !s.filter.Pass(e) {
		return
	}
	select {
	case s.q <- *e:
	default:
		s.dropped.Add(1)
	}
}

func (s *sink) close() {
	s.cancel()
	<-s.done
}

func (s *sink) run() {
	defer close(s.done)
	for {
		batch, ok := s.collect()
		if !ok {
			return
		}
		if !s.deliver(batch) {
			return
		}
	}
}

// collect waits for an event, then for the throttle delay (unless a full
// batch waits already), and takes what waits, up to MaxBatch.
func (s *sink) collect() ([]Event, bool) {
	var first Event
	select {
	case first = <-s.q:
	case <-s.ctx.Done():
		return nil, false
	}
	if s.throttle > 0 && len(s.q) < MaxBatch-1 && !s.sleep(s.throttle) {
		return nil, false
	}
	batch := make([]Event, 1, min(MaxBatch, len(s.q)+1))
	batch[0] = first
	for len(batch) < MaxBatch {
		select {
		case e := <-s.q:
			batch = append(batch, e)
		default:
			return batch, true
		}
	}
	return batch, true
}

// deliver sends batch until the target takes it, backing off between
// tries; false when the sink is stopped meanwhile.
func (s *sink) deliver(batch []Event) bool {
	for attempt := 0; ; attempt++ {
		err := s.target.Deliver(s.ctx, batch)
		if err == nil {
			s.delivered.Add(uint64(len(batch)))
			return true
		}
		if s.ctx.Err() != nil {
			return false
		}
		s.failures.Add(1)
		msg := err.Error()
		s.lastErr.Store(&msg)
		delay := s.backoff.Delay(attempt)
		s.log("events: delivery failed, retrying", "events", len(batch), "retry_in", delay, "err", msg)
		if !s.sleep(delay) {
			return false
		}
	}
}

// sleep waits d; false when the sink is stopped first.
func (s *sink) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.ctx.Done():
		return false
	}
}

func (s *sink) stats() SinkStats {
	st := SinkStats{
		Name: s.name, URL: s.url, Queued: len(s.q), Limit: cap(s.q),
		Delivered: s.delivered.Load(), Dropped: s.dropped.Load(), Failures: s.failures.Load(),
	}
	if p := s.lastErr.Load(); p != nil {
		st.LastError = *p
	}
	return st
}
