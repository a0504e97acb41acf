package chaos

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

// Sample is one reading of a stream's API stats.
type Sample struct {
	At        time.Time
	LastFrame time.Time // last_dts_at: when the last frame left the stream's hub
	Active    int       // active_input, -1 for none
	Switches  int       // input_switches
	Restarts  int64     // the inputs' restarts, summed
}

// Monitor polls GET /streamer/api/v3/streams/NAME every Poll and keeps
// the samples: the server's own view of when frames flowed and which
// input fed them. Safe for concurrent use.
type Monitor struct {
	URL  string        // the stream's API URL
	Poll time.Duration // 0 means 50 ms
	// Target, when set, gives the URL for each poll instead (a cluster's
	// stream: the API of the node that captures it now).
	Target func() string

	mu      sync.Mutex
	samples []Sample
}

// Run polls until ctx is done.
func (m *Monitor) Run(ctx context.Context) {
	poll := m.Poll
	if poll <= 0 {
		poll = 50 * time.Millisecond
	}
	client := http.Client{Timeout: time.Second}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		if s, ok := m.read(ctx, &client); ok {
			m.mu.Lock()
			m.samples = append(m.samples, s)
			m.mu.Unlock()
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (m *Monitor) read(ctx context.Context, client *http.Client) (Sample, bool) {
	url := m.URL
	if m.Target != nil {
		url = m.Target()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return Sample{}, false
	}
	resp, err := client.Do(req)
	if err != nil {
		return Sample{}, false
	}
	defer func() { _ = resp.Body.Close() }()
	var body struct {
		Stats struct {
			LastDTSAt     int64 `json:"last_dts_at"`
			ActiveInput   *int  `json:"active_input"`
			InputSwitches int   `json:"input_switches"`
			Inputs        []struct {
				Restarts int64 `json:"restarts"`
			} `json:"inputs"`
		} `json:"stats"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&body) != nil {
		return Sample{}, false
	}
	s := Sample{At: time.Now(), Active: -1, Switches: body.Stats.InputSwitches}
	if body.Stats.LastDTSAt > 0 {
		s.LastFrame = time.UnixMilli(body.Stats.LastDTSAt)
	}
	if a := body.Stats.ActiveInput; a != nil {
		s.Active = *a
	}
	for _, in := range body.Stats.Inputs {
		s.Restarts += in.Restarts
	}
	return s, true
}

// Samples returns a copy of the samples so far.
func (m *Monitor) Samples() []Sample {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Sample(nil), m.samples...)
}

// Outage is the longest pause in frames leaving the hub after fault (and
// up to end): the largest step between the distinct last-frame times the
// samples saw; and the recovery time, from the fault or the pause's start,
// whichever is later, to frames flowing again (a pause that begins long
// after the fault, as repeated panics or a lossy link cause, counts from
// its start). ok is false without samples in the window.
func (m *Monitor) Outage(fault, end time.Time) (gap, recovery time.Duration, ok bool) {
	var prev time.Time
	for _, s := range m.Samples() {
		if s.At.Before(fault.Add(-time.Second)) || s.At.After(end) || s.LastFrame.IsZero() {
			continue
		}
		if !prev.IsZero() && s.LastFrame.After(prev) {
			if g := s.LastFrame.Sub(prev); g > gap && s.LastFrame.After(fault) {
				gap, recovery = g, s.LastFrame.Sub(later(fault, prev))
			}
		}
		if s.LastFrame.After(prev) {
			prev = s.LastFrame
		}
		ok = true
	}
	return gap, recovery, ok
}

// Last returns the newest sample.
func (m *Monitor) Last() (Sample, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.samples) == 0 {
		return Sample{}, false
	}
	return m.samples[len(m.samples)-1], true
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
