package listener

import (
	"context"
	"errors"
	"strings"
	"testing"

	"streamhive/actors/stream"
	"streamhive/media"
	"streamhive/protocols/rtmp"
)

// TestRTMPResolve: the RTMP forms encoders send reach the configured
// stream; a stream configured with the reserved app in its name keeps it.
func TestRTMPResolve(t *testing.T) {
	configured := map[string]bool{"cam1": true, "client15/published1": true, "static/kept": true, "kept": true}
	h := rtmpHooks{p: &publisher{lookup: func(name string) (*stream.Status, bool) {
		return &stream.Status{Name: media.StreamName(name)}, configured[name]
	}}}
	for _, tc := range []struct {
		app, key string
		want     media.StreamName
	}{
		{"live", "cam1", "cam1"},                          // ffmpeg, OBS
		{"live/cam1", "", "cam1"},                         // gortmplib
		{"static", "cam1?password=x", "cam1"},             // Flussonic's reserved app
		{"cam1", "cam1", "cam1"},                          // ffmpeg: rtmp://HOST/cam1
		{"cam1?token=t", "", "cam1"},                      // OBS: server URL only
		{"client15", "published1", "client15/published1"}, // app and key joined
		{"live/client15", "published1", "client15/published1"},
		{"static", "kept", "static/kept"}, // configured with the prefix: kept
		{"live", "nope", "nope"},          // unknown: the refusal names "nope"
	} {
		if got := h.Resolve(rtmp.StreamNames(tc.app, tc.key)); got != tc.want {
			t.Errorf("app %q key %q: %q, want %q", tc.app, tc.key, got, tc.want)
		}
	}
}

// prefixDynamic admits names under "live/", as a template with prefix
// live and a publish:// input does.
type prefixDynamic struct{}

func (prefixDynamic) Admits(name string) bool { return strings.HasPrefix(name, "live/") }
func (prefixDynamic) Open(context.Context, string) (*stream.Status, error) {
	return nil, errors.New("not in this test")
}

// TestRTMPResolveTemplateName: a name no stream has but a template admits
// keeps the template's prefix (rtmp://HOST/live/abc under prefix live is
// stream live/abc, not abc); a configured name still wins.
func TestRTMPResolveTemplateName(t *testing.T) {
	h := rtmpHooks{p: &publisher{dynamic: prefixDynamic{}, lookup: func(name string) (*stream.Status, bool) {
		return &stream.Status{Name: media.StreamName(name)}, name == "cam1"
	}}}
	for _, tc := range []struct {
		app, key string
		want     media.StreamName
	}{
		{"live", "abc", "live/abc"},
		{"live/abc", "", "live/abc"}, // gortmplib
		{"live", "cam1", "cam1"},     // configured
		{"static", "abc", "abc"},     // no template admits static/abc
	} {
		if got := h.Resolve(rtmp.StreamNames(tc.app, tc.key)); got != tc.want {
			t.Errorf("app %q key %q: %q, want %q", tc.app, tc.key, got, tc.want)
		}
	}
}
