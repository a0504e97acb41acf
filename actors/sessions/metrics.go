package sessions

import (
	"fmt"
	"io"
	"sync/atomic"

	"github.com/VictoriaMetrics/metrics"
)

// tableMetrics are the sessions' series in /metrics. Every label value
// comes from a fixed list (an unknown protocol counts as "other"), so the
// series are bounded whatever viewers send:
//
//	streamhive_sessions_open{proto="hls"} 12
//	streamhive_sessions_opened_total{proto="hls"} 40
//	streamhive_sessions_closed_total{reason="idle"} 28
//	streamhive_sessions_denied_total{reason="backend"} 3
//	streamhive_sessions_banned_total{reason="limit"} 1
//	streamhive_sessions_refused_total{reason="ban"} 7
type tableMetrics struct {
	set     *metrics.Set
	open    [len(protoNames)]atomic.Int64
	openedN [len(protoNames)]atomic.Uint64
	closedN [endReasons]atomic.Uint64
	deniedN [denyReasons]atomic.Uint64
	refusal [2]atomic.Uint64 // answered from memory: cached deny, ban
}

// protoNames are the protocols metrics name; the last is "other".
var protoNames = [...]string{
	"hls", "llhls", "dash", "mss", "hds", "mpegts", "mp4", "cmaf", "rtmp", "rtsp", "srt", "webrtc", "mseld", "other",
}

func protoIndex(proto string) int {
	switch proto {
	case "mse_ld":
		proto = "mseld"
	case "tshttp":
		proto = "mpegts"
	}
	for i, p := range protoNames[:len(protoNames)-1] {
		if p == proto {
			return i
		}
	}
	return len(protoNames) - 1
}

func newTableMetrics(*Table) *tableMetrics {
	m := &tableMetrics{set: metrics.NewSet()}
	m.set.RegisterMetricsWriter(m.write)
	metrics.RegisterSet(m.set)
	return m
}

func (m *tableMetrics) close() { metrics.UnregisterSet(m.set, true) }

func (m *tableMetrics) opened(s *session) {
	i := protoIndex(s.proto)
	m.open[i].Add(1)
	m.openedN[i].Add(1)
}

func (m *tableMetrics) closed(s *session, why endReason) {
	m.open[protoIndex(s.proto)].Add(-1)
	m.closedN[why].Add(1)
}

func (m *tableMetrics) denied(why denyReason) { m.deniedN[why].Add(1) }

func (m *tableMetrics) refused(banned bool) {
	if banned {
		m.refusal[1].Add(1)
	} else {
		m.refusal[0].Add(1)
	}
}

func (m *tableMetrics) write(w io.Writer) {
	header(w, "streamhive_sessions_open", "gauge", "Viewer sessions open now, by protocol.")
	for i, p := range protoNames {
		_, _ = fmt.Fprintf(w, "streamhive_sessions_open{proto=%q} %d\n", p, m.open[i].Load())
	}
	header(w, "streamhive_sessions_opened_total", "counter", "Viewer sessions opened, by protocol.")
	for i, p := range protoNames {
		_, _ = fmt.Fprintf(w, "streamhive_sessions_opened_total{proto=%q} %d\n", p, m.openedN[i].Load())
	}
	header(w, "streamhive_sessions_closed_total", "counter", "Viewer sessions ended, by reason.")
	for i, r := range endNames {
		_, _ = fmt.Fprintf(w, "streamhive_sessions_closed_total{reason=%q} %d\n", r, m.closedN[i].Load())
	}
	header(w, "streamhive_sessions_denied_total", "counter", "New viewer sessions refused, by reason.")
	for i, r := range denyNames[1:] {
		_, _ = fmt.Fprintf(w, "streamhive_sessions_denied_total{reason=%q} %d\n", r, m.deniedN[i+1].Load())
	}
	header(w, "streamhive_sessions_banned_total", "counter", "Viewer sessions banned: over a user's limit, or kicked.")
	_, _ = fmt.Fprintf(w, "streamhive_sessions_banned_total{reason=\"limit\"} %d\n", m.closedN[endBanned].Load())
	_, _ = fmt.Fprintf(w, "streamhive_sessions_banned_total{reason=\"kick\"} %d\n", m.closedN[endKicked].Load())
	header(w, "streamhive_sessions_refused_total", "counter",
		"Requests refused from memory: a recently denied key, or a banned one.")
	_, _ = fmt.Fprintf(w, "streamhive_sessions_refused_total{reason=\"denied\"} %d\n", m.refusal[0].Load())
	_, _ = fmt.Fprintf(w, "streamhive_sessions_refused_total{reason=\"ban\"} %d\n", m.refusal[1].Load())
}

func header(w io.Writer, name, kind, help string) {
	_, _ = fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, kind)
}
