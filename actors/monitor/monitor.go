package monitor

import (
	"sync"
	"time"

	"streamhive/actors/events"
)

// Options configure a Monitor.
type Options struct {
	// Sample takes the server's sample now. Required.
	Sample func() Sample
	// Interval between samples; 0: 5 s.
	Interval time.Duration
	// Rules; the zero value: DefaultRules().
	Rules *Rules
	// Events gets alert_fired and alert_cleared. Nil: none.
	Events *events.Bus
}

// Monitor samples the server every Interval, runs the alert rules over the
// samples and keeps each input's History. Safe for concurrent use.
type Monitor struct {
	opts  Options
	rules Rules
	stop  chan struct{}
	done  chan struct{}

	mu      sync.Mutex
	prev    *Sample
	alerts  *alertState
	history map[string][]inputHistory // by stream, in input order
}

// inputHistory is one input's History and the URL it belongs to: a
// reload that changes the input's URL starts it afresh.
type inputHistory struct {
	url string
	h   *History
}

// Start starts sampling; Stop ends it.
func Start(o Options) *Monitor {
	if o.Interval <= 0 {
		o.Interval = 5 * time.Second
	}
	m := &Monitor{
		opts: o, rules: DefaultRules(), stop: make(chan struct{}), done: make(chan struct{}),
		alerts: newAlertState(), history: map[string][]inputHistory{},
	}
	if o.Rules != nil {
		m.rules = *o.Rules
	}
	go m.run()
	return m
}

// Stop stops sampling and waits for the sampler to end.
func (m *Monitor) Stop() {
	close(m.stop)
	<-m.done
}

func (m *Monitor) run() {
	defer close(m.done)
	t := time.NewTicker(m.opts.Interval)
	defer t.Stop()
	for {
		select {
		case <-m.stop:
			return
		case <-t.C:
			m.Observe(m.opts.Sample())
		}
	}
}

// Observe takes one sample: the alerts step and the histories grow. The
// sampler calls it; tests call it with samples of their own.
func (m *Monitor) Observe(cur Sample) {
	m.mu.Lock()
	conds := m.rules.Conditions(m.prev, &cur)
	fired, cleared := m.alerts.step(conds, cur.Time)
	m.record(m.prev, &cur)
	m.prev = &cur
	m.mu.Unlock()
	for _, a := range fired {
		m.opts.Events.Publish(alertEvent(events.AlertFired, a))
	}
	for _, a := range cleared {
		m.opts.Events.Publish(alertEvent(events.AlertCleared, a))
	}
}

func alertEvent(name string, a Alert) events.Event {
	return events.Event{Event: name, Media: a.Media, Fields: []events.Field{
		events.F("alert", a.Rule), events.F("subject", a.Subject), events.F("value", a.Value),
		events.F("message", a.Message), events.F("since_ms", a.Since.UnixMilli()),
	}}
}

// record adds cur's inputs to their histories; a stream gone from the
// samples loses its history.
func (m *Monitor) record(prev, cur *Sample) {
	for name := range m.history {
		if _, ok := cur.Streams[name]; !ok {
			delete(m.history, name)
		}
	}
	for name, st := range cur.Streams {
		hs := m.history[name]
		if len(hs) != len(st.Inputs) {
			hs = append(hs[:0:0], hs[:min(len(hs), len(st.Inputs))]...)
			for len(hs) < len(st.Inputs) {
				hs = append(hs, inputHistory{})
			}
		}
		for i := range st.Inputs {
			in := &st.Inputs[i]
			var url string
			if urls := cur.URLs[name]; i < len(urls) {
				url = urls[i]
			}
			if hs[i].h == nil || hs[i].url != url {
				hs[i] = inputHistory{url: url, h: new(History)}
			}
			var errs int64
			if prev != nil {
				if p, ok := prev.Streams[name]; ok && i < len(p.Inputs) {
					errs = inputErrors(in) - inputErrors(&p.Inputs[i])
				}
			}
			hs[i].h.Add(cur.Time, in.Bitrate, errs)
		}
		m.history[name] = hs
	}
}

// Alerts returns the firing alerts, oldest first.
func (m *Monitor) Alerts() []Alert {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.alerts.active()
}

// InputHistory is one input's last 24 hours.
type InputHistory struct {
	Input  int     `json:"input"`
	URL    string  `json:"url"`
	Points []Point `json:"points"`
}

// History returns stream name's inputs' histories at now; false for a
// stream not sampled.
func (m *Monitor) History(name string, now time.Time) ([]InputHistory, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	hs, ok := m.history[name]
	if !ok {
		return nil, false
	}
	out := make([]InputHistory, len(hs))
	for i, h := range hs {
		out[i] = InputHistory{Input: i, URL: h.url, Points: h.h.Points(now)}
	}
	return out, true
}
