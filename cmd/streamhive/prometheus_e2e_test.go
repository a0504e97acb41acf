//go:build e2e

package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// TestPrometheusScrapesDashboard runs the real binary with a running
// stream (an MPEG-TS file looped, recorded), a real Prometheus scraping its
// /metrics every second, and then every query of the Grafana dashboard
// (gateway/metrics/grafana) through Prometheus's HTTP API: each must
// return series. The scraped page must pass `promtool check metrics`.
func TestPrometheusScrapesDashboard(t *testing.T) {
	for _, tool := range []string{"prometheus", "promtool"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (scripts/deps.sh test): %v", tool, err)
		}
	}
	dir := t.TempDir()
	clip, err := filepath.Abs("../../protocols/mpegts/mpegtstest/testdata/h264aac-1s.ts")
	if err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	cfg := writeConfig(t, dir, port, fmt.Sprintf("stream cam { input file://%s; segment_duration 1; dvr %s 1h; }\n",
		clip, filepath.Join(dir, "dvr")))
	p := start(t, port, "-config", cfg)
	mediatest.WaitFor(t, 20*time.Second, "cam's bitrate in /metrics", func() bool {
		_, body := p.do("GET", "/metrics", "", "")
		return strings.Contains(body, `stream_bitrate{name="cam"} `) && !strings.Contains(body, `stream_bitrate{name="cam"} 0`)
	})

	_, page := p.do("GET", "/metrics", "", "")
	check := exec.Command("promtool", "check", "metrics")
	check.Stdin = strings.NewReader(page)
	if out, err := check.CombinedOutput(); err != nil {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}

	prom := startPrometheus(t, dir, port)
	mediatest.WaitFor(t, 60*time.Second, "three scrapes", func() bool {
		res, err := promQuery(prom, `count_over_time(server_started_at[1m]) >= 4`)
		return err == nil && len(res) > 0
	})
	exprs := dashboardQueries(t)
	if len(exprs) < 20 {
		t.Fatalf("the dashboard has %d queries", len(exprs))
	}
	for _, e := range exprs {
		q := strings.NewReplacer(`$instance`, `.*`, `$stream`, `cam`).Replace(e)
		res, err := promQuery(prom, q)
		if err != nil || len(res) == 0 {
			t.Errorf("dashboard query %s: %d series, %v", q, len(res), err)
		}
	}
}

// startPrometheus runs Prometheus on a free port with a scrape config
// pointing at the server on target, its data in dir.
func startPrometheus(t *testing.T, dir string, target int) string {
	t.Helper()
	port := freePort(t)
	conf := filepath.Join(dir, "prometheus.yml")
	yml := fmt.Sprintf("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n"+
		"  - job_name: streamhive\n    static_configs:\n      - targets: ['127.0.0.1:%d']\n", target)
	if err := os.WriteFile(conf, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	log := &mediatest.LogBuffer{}
	cmd := exec.Command("prometheus", "--config.file="+conf, "--storage.tsdb.path="+filepath.Join(dir, "tsdb"),
		fmt.Sprintf("--web.listen-address=127.0.0.1:%d", port))
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("prometheus log:\n%s", log.String())
		}
	})
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	mediatest.WaitFor(t, 30*time.Second, "prometheus's readiness", func() bool {
		resp, err := http.Get(base + "/-/ready")
		if err != nil {
			return false
		}
		_ = resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return base
}

// promQuery runs an instant query and returns its result vector.
func promQuery(base, q string) ([]json.RawMessage, error) {
	resp, err := http.Get(base + "/api/v1/query?query=" + url.QueryEscape(q))
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	var body struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			Result []json.RawMessage `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, err
	}
	if body.Status != "success" {
		return nil, fmt.Errorf("%s", body.Error)
	}
	return body.Data.Result, nil
}

// dashboardQueries returns every panel target's expression.
func dashboardQueries(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../../gateway/metrics/grafana/streamhive.json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Panels []struct {
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range d.Panels {
		for _, tg := range p.Targets {
			out = append(out, tg.Expr)
		}
	}
	return out
}
