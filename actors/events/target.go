package events

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"streamhive/actors/config"
)

// newTarget returns the target of an event_sink URL (validated by
// config: http(s)://, log://, jsonlog://).
func newTarget(url string, client *http.Client) Target {
	switch {
	case strings.HasPrefix(url, "log://"):
		return logFile{path: strings.TrimPrefix(url, "log://")}
	case strings.HasPrefix(url, "jsonlog://"):
		return logFile{path: strings.TrimPrefix(url, "jsonlog://"), json: true}
	}
	return httpTarget{url: url, client: client}
}

// httpTarget POSTs each batch as a JSON array, as Flussonic does; any 2xx
// answer takes it.
type httpTarget struct {
	url    string
	client *http.Client
}

func (h httpTarget) Deliver(ctx context.Context, batch []Event) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url, bytes.NewReader(AppendBatch(nil, batch)))
	if err != nil {
		return fmt.Errorf("event sink %s: %w", config.RedactURL(h.url), config.ScrubError(err, h.url))
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := h.client.Do(req)
	if err != nil {
		return fmt.Errorf("event sink %s: %w", config.RedactURL(h.url), config.ScrubError(err, h.url))
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("event sink %s: HTTP %d", config.RedactURL(h.url), resp.StatusCode)
	}
	return nil
}

// logFile appends each event as a line: text (log://) or a JSON object
// (jsonlog://).
type logFile struct {
	path string
	json bool
}

func (l logFile) Deliver(_ context.Context, batch []Event) error {
	var b []byte
	for i := range batch {
		if l.json {
			b = batch[i].AppendJSON(b)
		} else {
			b = appendText(b, &batch[i])
		}
		b = append(b, '\n')
	}
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// appendText writes `TIME event=NAME event_id=N media=M key=value ...`.
func appendText(b []byte, e *Event) []byte {
	b = e.Time.UTC().AppendFormat(b, "2006-01-02T15:04:05.000Z")
	b = fmt.Appendf(b, " event=%s event_id=%d", e.Event, e.ID)
	if e.Media != "" {
		b = fmt.Appendf(b, " media=%q", e.Media)
	}
	for _, f := range e.Fields {
		b = fmt.Appendf(b, " %s=%q", f.Key, fmt.Sprint(f.Value))
	}
	return b
}
