package cpix

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"streamhive/media/drm"
)

// Client asks one key server for one resource's keys.
type Client struct {
	// URL is the key server's CPIX endpoint. It may carry secrets (a
	// clientToken in its query): errors name only its scheme, host and path.
	URL string
	// ContentID is the resource (the config's resource_id, else the
	// stream's name): CPIX@contentId.
	ContentID string
	// Systems are the DRM systems to ask signalling for (drm.System*).
	Systems []string
	// Recipient, when set, has the content keys encrypted for it.
	Recipient *Recipient
	// HTTP is the client to use; nil: one with a 10 s timeout.
	HTTP *http.Client
}

var defaultHTTP = &http.Client{Timeout: 10 * time.Second}

// Fetch asks for the keys of spans and returns them in the same order.
func (c *Client) Fetch(ctx context.Context, spans []Span) ([]drm.Key, error) {
	var cert []byte
	if c.Recipient != nil {
		cert = c.Recipient.Cert.Raw
	}
	body, err := NewRequest(c.ContentID, spans, c.Systems, cert).Marshal()
	if err != nil {
		return nil, err
	}
	resp, err := c.post(ctx, body)
	if err != nil {
		return nil, err
	}
	d, err := ParseDocument(resp)
	if err != nil {
		return nil, fmt.Errorf("key server %s: %w", c.where(), err)
	}
	keys, err := Keys(d, c.ContentID, spans, c.Recipient)
	if err != nil {
		return nil, fmt.Errorf("key server %s: %w", c.where(), err)
	}
	return keys, nil
}

func (c *Client) post(ctx context.Context, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("key server %s: bad URL", c.where())
	}
	req.Header.Set("Content-Type", "application/xml")
	hc := c.HTTP
	if hc == nil {
		hc = defaultHTTP
	}
	resp, err := hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its message repeats the URL, secrets and all
		}
		return nil, fmt.Errorf("key server %s: %w", c.where(), err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxDocumentBytes+1))
	if err != nil {
		return nil, fmt.Errorf("key server %s: reading the response: %w", c.where(), err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("key server %s: HTTP %d", c.where(), resp.StatusCode)
	}
	return b, nil
}

// where is the key server's URL without user info or query.
func (c *Client) where() string {
	u, err := url.Parse(c.URL)
	if err != nil {
		return "(unparsable url)"
	}
	return u.Scheme + "://" + u.Host + u.EscapedPath()
}
