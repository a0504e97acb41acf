package auth

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/VictoriaMetrics/metrics"
)

// Kind names the check that decided, a label of the decision metrics
// (a small closed set: labels never carry names, tokens or URLs).
type Kind uint8

// The kinds of check.
const (
	KindNone        Kind = iota // `on_play true`, or only other checks, and they passed
	KindDomains                 // the Referer check
	KindCountry                 // allowed_countries / disallowed_countries
	KindPassword                // a stream's publish password
	KindHTTP                    // an HTTP backend URL
	KindAuthBackend             // auth://NAME
	KindSecureToken             // securetoken://
	kinds
)

var kindNames = [kinds]string{"none", "domains", "country", "password", "http", "auth_backend", "securetoken"}

func (k Kind) String() string { return kindNames[k] }

var (
	directionNames = [2]string{"play", "publish"}
	verdictNames   = [3]string{"deny", "allow", "redirect"} // indexed by Verdict
)

// decisionCounts are the decisions since start, by direction, kind and
// verdict; noAnswers counts backend calls that got no answer.
var (
	decisionCounts [2][kinds][3]atomic.Uint64
	noAnswers      atomic.Uint64
	registerOnce   sync.Once
)

func countDecision(publish bool, k Kind, v Verdict) {
	dir := 0
	if publish {
		dir = 1
	}
	if int(v) < len(verdictNames) {
		decisionCounts[dir][k][v].Add(1)
	}
}

// registerMetrics adds the auth series to /metrics, once per process:
//
//	# HELP streamhive_auth_decisions_total Play and publish authorization decisions ...
//	streamhive_auth_decisions_total{direction="play",kind="http",verdict="allow"} 12
//	streamhive_auth_backend_no_answer_total 3
func registerMetrics() {
	registerOnce.Do(func() {
		set := metrics.NewSet()
		set.RegisterMetricsWriter(writeMetrics)
		metrics.RegisterSet(set)
	})
}

func writeMetrics(w io.Writer) {
	const decisions = "streamhive_auth_decisions_total"
	_, _ = fmt.Fprintf(w, "# HELP %s Play and publish authorization decisions, by the check that decided and its verdict.\n", decisions)
	_, _ = fmt.Fprintf(w, "# TYPE %s counter\n", decisions)
	for dir := range decisionCounts {
		for k := range decisionCounts[dir] {
			for v := range decisionCounts[dir][k] {
				if n := decisionCounts[dir][k][v].Load(); n > 0 {
					_, _ = fmt.Fprintf(w, "%s{direction=%q,kind=%q,verdict=%q} %d\n",
						decisions, directionNames[dir], kindNames[k], verdictNames[v], n)
				}
			}
		}
	}
	const none = "streamhive_auth_backend_no_answer_total"
	_, _ = fmt.Fprintf(w, "# HELP %s HTTP auth backend calls that got no answer (refused, timed out, an unexpected status).\n", none)
	_, _ = fmt.Fprintf(w, "# TYPE %s counter\n", none)
	_, _ = fmt.Fprintf(w, "%s %d\n", none, noAnswers.Load())
}
