package rtsp

import (
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4"

	"streamhive/media"
	"streamhive/media/mediatest"
)

func TestStreamName(t *testing.T) {
	for path, want := range map[string]media.StreamName{
		"cam1":                 "cam1",
		"/cam1":                "cam1",
		"/cam1/":               "cam1",
		"client15/published1":  "client15/published1",
		"/client15/published1": "client15/published1",
		"/":                    "",
		"":                     "",
	} {
		if got := StreamName(path); got != want {
			t.Errorf("StreamName(%q) = %q, want %q", path, got, want)
		}
	}
}

// TestServerPublishName: a publisher to rtsp://HOST/client15/published1?token=T
// publishes client15/published1 and its query reaches the Hooks apart.
func TestServerPublishName(t *testing.T) {
	hooks, logs := &fakeHooks{}, &mediatest.LogBuffer{}
	addr := startServer(t, hooks, logs)
	tr := gortsplib.TransportTCP
	c := &gortsplib.Client{Transport: &tr, ReadTimeout: 3 * time.Second, WriteTimeout: 3 * time.Second}
	if err := c.StartRecording("rtsp://"+addr+"/client15/published1?token=t1", aacSession()); err != nil {
		t.Fatalf("recording: %v", err)
	}
	defer c.Close()
	pubs, _ := hooks.state()
	if len(pubs) != 1 {
		t.Fatalf("%d publications, want 1", len(pubs))
	}
	if pubs[0].name != "client15/published1" || pubs[0].info.Query != "token=t1" {
		t.Errorf("published %q with query %q", pubs[0].name, pubs[0].info.Query)
	}
}
