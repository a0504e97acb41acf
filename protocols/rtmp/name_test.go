package rtmp

import (
	"slices"
	"testing"

	"streamhive/media"
)

// TestStreamNames: how the app of a connect command and the key of a
// publish command become stream names, for the forms encoders send.
func TestStreamNames(t *testing.T) {
	for _, tc := range []struct {
		app, key string
		want     []media.StreamName
	}{
		{"live", "cam1", []media.StreamName{"live/cam1", "cam1"}},                    // ffmpeg, OBS: rtmp://HOST/live/cam1
		{"live/cam1", "", []media.StreamName{"live/cam1", "cam1"}},                   // gortmplib: the whole path as the app
		{"static", "published", []media.StreamName{"static/published", "published"}}, // Flussonic's reserved app
		{"rtmp", "published", []media.StreamName{"rtmp/published", "published"}},     // its older reserved app
		{"cam1", "cam1", []media.StreamName{"cam1"}},                                 // ffmpeg: rtmp://HOST/cam1
		{"cam1", "cam1?password=x", []media.StreamName{"cam1"}},                      // ffmpeg: rtmp://HOST/cam1?password=x
		{"cam1?password=x", "", []media.StreamName{"cam1"}},                          // OBS: the query in the server URL
		{"client15", "published1", []media.StreamName{"client15/published1"}},        // Flussonic: app and key joined
		{"chats/my", "chat-15", []media.StreamName{"chats/my/chat-15"}},
		{"chats", "my/chat-15", []media.StreamName{"chats/my/chat-15"}},
		{"live", "a/b?token=t", []media.StreamName{"live/a/b", "a/b"}},
		{"live?token=t", "cam1", []media.StreamName{"live/cam1", "cam1"}},
		{"/live/", "/cam1/", []media.StreamName{"live/cam1", "cam1"}},
		{"", "cam1", []media.StreamName{"cam1"}},
		{"live", "", []media.StreamName{"live"}},
		{"live", "?password=x", []media.StreamName{"live"}},
		{"", "", nil},
		{"?x=1", "?y=2", nil},
	} {
		if got := StreamNames(tc.app, tc.key); !slices.Equal(got, tc.want) {
			t.Errorf("StreamNames(%q, %q) = %q, want %q", tc.app, tc.key, got, tc.want)
		}
	}
}

// knownHooks resolve to the first name in known.
type knownHooks struct {
	*testHooks
	known map[media.StreamName]bool
}

func (h knownHooks) Resolve(names []media.StreamName) media.StreamName {
	for _, n := range names {
		if h.known[n] {
			return n
		}
	}
	return names[len(names)-1]
}

// TestResolve: without a Resolver the reserved application is discarded;
// a Resolver chooses (a stream configured as live/cam1 keeps the prefix).
func TestResolve(t *testing.T) {
	names := StreamNames("live", "cam1")
	if got := resolve(newTestHooks(), names); got != "cam1" {
		t.Errorf("no Resolver: %q, want cam1", got)
	}
	h := knownHooks{testHooks: newTestHooks(), known: map[media.StreamName]bool{"live/cam1": true}}
	if got := resolve(h, names); got != "live/cam1" {
		t.Errorf("Resolver knowing live/cam1: %q", got)
	}
	if got := resolve(h, nil); got != "" {
		t.Errorf("no names: %q", got)
	}
}
