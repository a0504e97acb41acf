package rtsp

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4"

	"streamhive/media"
	"streamhive/media/mediatest"
)

// admitHooks are fakeHooks that let in the password "pw:1" only, asking
// for credentials when none came.
type admitHooks struct {
	fakeHooks
	mu    sync.Mutex
	asked []PublishInfo
}

func (h *admitHooks) Admit(ctx context.Context, _ media.StreamName) error {
	info, _ := PublishInfoFrom(ctx)
	h.mu.Lock()
	h.asked = append(h.asked, info)
	h.mu.Unlock()
	switch {
	case info.Password == "pw:1":
		return nil
	case info.Password == "" && info.Query == "":
		return errors.Join(ErrUnauthorized, errors.New("no credentials"))
	}
	return errors.New("wrong password")
}

// TestServerAdmitBasic: a publisher refused for lack of credentials gets a
// Basic challenge and, answering it with rtsp://user:pass@ credentials,
// publishes; wrong credentials and a refusal of its query are refused
// before any publication.
func TestServerAdmitBasic(t *testing.T) {
	hooks, logs := &admitHooks{}, &mediatest.LogBuffer{}
	addr := startServer(t, hooks, logs)
	record := func(url string) (*gortsplib.Client, error) {
		tr := gortsplib.TransportTCP
		c := &gortsplib.Client{Transport: &tr, ReadTimeout: 3 * time.Second, WriteTimeout: 3 * time.Second}
		return c, c.StartRecording(url, aacSession())
	}
	for _, url := range []string{
		"rtsp://" + addr + "/cam",
		"rtsp://enc:wrong@" + addr + "/cam",
		"rtsp://" + addr + "/cam?password=nope",
	} {
		if c, err := record(url); err == nil {
			c.Close()
			t.Errorf("%s: recording succeeded, want a refusal", url)
		}
	}
	if pubs, _ := hooks.state(); len(pubs) != 0 {
		t.Fatalf("refused publishers published %d times", len(pubs))
	}
	c, err := record("rtsp://enc:pw%3A1@" + addr + "/cam")
	if err != nil {
		t.Fatalf("recording with Basic credentials: %v", err)
	}
	defer c.Close()
	if pubs, _ := hooks.state(); len(pubs) != 1 || pubs[0].info.User != "enc" || pubs[0].info.Password != "pw:1" {
		t.Fatalf("publications %+v, want one with the Basic credentials", pubs)
	}
	if strings.Contains(logs.String(), "pw:1") || strings.Contains(logs.String(), "nope") {
		t.Errorf("the log shows credentials:\n%s", logs.String())
	}
}
