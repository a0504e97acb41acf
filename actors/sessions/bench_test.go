package sessions

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/VictoriaMetrics/metrics"

	"streamhive/actors/auth"
)

// BenchmarkAdmitKnown is the hot path: a segment request of a session
// the Table knows (run with -benchmem: 0 allocs/op).
func BenchmarkAdmitKnown(b *testing.B) {
	tab, _ := newTestTable(b, Options{Policies: fakePolicies{"cam1": &fakePolicy{}}})
	vs := make([]Viewer, 1000)
	for i := range vs {
		vs[i] = viewer("cam1", fmt.Sprint("token", i))
		mustAllow(b, admit(b, tab, vs[i]))
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if tab.Admit(ctx, vs[i%len(vs)]).Verdict != auth.Allow {
				b.Fatal("denied")
			}
			i++
		}
	})
}

func TestAdmitKnownDoesNotAllocate(t *testing.T) {
	q := &fakePolicy{limits: auth.Limits{SessionKeys: []string{"name", "ip", "proto", "token", "sid"}}}
	tab, _ := newTestTable(t, Options{Policies: fakePolicies{"cam1": &fakePolicy{}, "cam2": q}})
	v, w := viewer("cam1", "abc"), viewer("cam2", "abc")
	w.Query = "token=abc&sid=9"
	mustAllow(t, admit(t, tab, v))
	mustAllow(t, admit(t, tab, w))
	ctx := context.Background()
	if n := testing.AllocsPerRun(100, func() { tab.Admit(ctx, v); tab.Admit(ctx, w) }); n != 0 {
		t.Errorf("Admit of known sessions: %v allocations, want 0", n)
	}
}

func FuzzSessionKey(f *testing.F) {
	f.Add("token=abc&sid=1", "sid", "abc")
	f.Add("&&=&sid", "", "")
	f.Fuzz(func(t *testing.T, query, name, token string) {
		k := newKeyer()
		v := Viewer{Stream: "s", Proto: "hls", IP: netip.IPv6Loopback(), Query: query}
		keys := []string{"name", "ip", "proto", "token", name}
		if first, again := k.of(&v, keys, token), k.of(&v, keys, token); first != again {
			t.Fatal("the key of one viewer changes")
		}
		got := queryValue(query, name)
		if got != "" && !strings.Contains(query, name+"="+got) {
			t.Fatalf("queryValue(%q, %q) = %q, not in the query", query, name, got)
		}
	})
}

func TestMetrics(t *testing.T) {
	p := &fakePolicy{decide: func(r auth.Request) auth.Decision {
		if r.Token == "bad" {
			return auth.Decision{Verdict: auth.Deny}
		}
		return auth.Decision{Verdict: auth.Allow}
	}}
	tab, _ := newTestTable(t, Options{Policies: fakePolicies{"cam1": p}})
	tk := mustAllow(t, admit(t, tab, viewer("cam1", "ok")))
	v := viewer("cam1", "x")
	v.Proto = "weird<proto>"
	mustAllow(t, admit(t, tab, v))
	admit(t, tab, viewer("cam1", "bad"))
	tab.Kick(tk.ID())
	var b strings.Builder
	tab.metrics.write(&b)
	out := b.String()
	for _, want := range []string{
		"# HELP streamhive_sessions_open ",
		"# TYPE streamhive_sessions_open gauge",
		`streamhive_sessions_open{proto="hls"} 0`,
		`streamhive_sessions_open{proto="other"} 1`,
		`streamhive_sessions_opened_total{proto="hls"} 1`,
		`streamhive_sessions_closed_total{reason="kicked"} 1`,
		`streamhive_sessions_denied_total{reason="backend"} 1`,
		`streamhive_sessions_banned_total{reason="kick"} 1`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("metrics lack %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "weird") {
		t.Error("a viewer's protocol reached a label")
	}
	var all strings.Builder
	metrics.WritePrometheus(&all, false)
	if !strings.Contains(all.String(), "streamhive_sessions_opened_total") {
		t.Error("the Table's metrics are not registered")
	}
}
