package metrics

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
	"time"

	"streamhive/actors/config"
	"streamhive/gateway/api/apitest"
	"streamhive/media/stats"
	"streamhive/media/stats/statstest"
)

func testControl(t *testing.T) *apitest.Control {
	t.Helper()
	cfg, err := config.Parse("test.conf", []byte("stream cam1 { input fake://; }\nstream idle { input fake://; }\n"))
	if err != nil {
		t.Fatal(err)
	}
	ctl := apitest.New(cfg)
	ctl.SetDynamic([]config.Stream{{Name: `cam "2"`}}) // a template's stream; idle has no stats (asleep)
	full := statstest.Full(time.Now())
	full.Clients = 4
	full.DVR = &stats.DVR{Depth: time.Hour, Duration: 50 * time.Minute, DiskSize: 1 << 40}
	ctl.SetStats("cam1", full)
	ctl.SetStats(`cam "2"`, &stats.Stream{State: "waiting", Inputs: []stats.Input{{State: "waiting"}}})
	return ctl
}

func page(t *testing.T, src Source) string {
	t.Helper()
	var p Text
	Page(&p, src)
	return string(p.Bytes())
}

// TestPageFamilies checks the page's structure as Prometheus reads it:
// every sample's family has its HELP (with text) and TYPE lines before it,
// each family appears once, and its samples are together.
func TestPageFamilies(t *testing.T) {
	out := page(t, testControl(t))
	fams := checkExposition(t, out)
	for _, want := range []string{
		"stream_bitrate", "stream_online_clients", "stream_bytes_in_total", "stream_retry_count_total",
		"server_cpu_usage", "server_memory_usage", "server_total_clients", "server_online_streams",
		"server_opened_files", "server_input_bitrate", "server_output_bitrate", "server_started_at",
		"partition_usage", "pusher_bytes_total", "pusher_retries_total", "dvr_depth", "dvr_duration", "dvr_disk_size",
		"streamhive_input_ts_cc_errors_total", "streamhive_input_srt_rtt_seconds", "streamhive_transcoder_speed",
		"go_goroutines", "go_sched_latencies_seconds", "go_gc_cycles_total", "process_cpu_seconds_total",
		"process_resident_memory_bytes", "streamhive_network_receive_bytes_total",
	} {
		if !fams[want] {
			t.Errorf("no family %s", want)
		}
	}
}

func TestPageSamples(t *testing.T) {
	out := page(t, testControl(t))
	for _, want := range []string{
		`stream_bitrate{name="cam1"} 1850`,
		`stream_online_clients{name="cam1"} 4`,
		`stream_bytes_in_total{name="cam1"} 123456`,
		`stream_retry_count_total{name="cam1"} 1`,
		`stream_bitrate{name="cam \"2\""} 0`,
		`server_online_streams 1`,
		`server_input_bitrate 1850`,
		`streamhive_input_up{name="cam1",input="1"} 1`,
		`streamhive_input_ts_cc_errors_total{name="cam1",input="0"} 13`,
		`streamhive_input_srt_packets_retransmitted_total{name="cam1",input="1"} 4`,
		`streamhive_input_srt_rtt_seconds{name="cam1",input="1"} 0.0015`,
		`pusher_bytes_total{name="cam1",id="p1"} 5000`,
		`streamhive_push_up{name="cam1",id="p1"} 1`,
		`dvr_depth{name="cam1"} 3600`,
		`streamhive_transcoder_frames_out_total{name="cam1",track="v2"} 2248`,
		`go_sched_latencies_seconds_bucket{le="+Inf"} `,
	} {
		if !strings.Contains(out, "\n"+want) {
			t.Errorf("page lacks %s", want)
		}
	}
	for _, not := range []string{
		`name="idle"`, // asleep on demand: nothing per stream
		`streamhive_input_ts_packets_total{name="cam1",input="1"}`, // input 1 reads no TS
		`streamhive_input_srt_packets_lost_total{name="cam1",input="0"}`,
		"fake://", // never a URL
	} {
		if strings.Contains(out, not) {
			t.Errorf("page has %s", not)
		}
	}
}

// checkExposition parses out line by line and returns its families.
func checkExposition(t *testing.T, out string) map[string]bool {
	t.Helper()
	help, typ := map[string]bool{}, map[string]string{}
	done := map[string]bool{}
	current := ""
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "# HELP "):
			name, text, _ := strings.Cut(strings.TrimPrefix(line, "# HELP "), " ")
			if help[name] || strings.TrimSpace(text) == "" {
				t.Errorf("HELP of %s again or empty: %q", name, line)
			}
			help[name] = true
			if current != "" {
				done[current] = true
			}
			current = name
		case strings.HasPrefix(line, "# TYPE "):
			f := strings.Fields(strings.TrimPrefix(line, "# TYPE "))
			if len(f) != 2 || f[0] != current || typ[f[0]] != "" {
				t.Errorf("TYPE line %q out of place (family %s)", line, current)
				continue
			}
			typ[f[0]] = f[1]
		case line == "" || strings.HasPrefix(line, "#"):
		default:
			name := line[:strings.IndexAny(line, "{ ")]
			fam := familyOf(name, typ)
			if fam != current || done[fam] {
				t.Errorf("sample %q outside its family %s (in %s)", line, fam, current)
			}
		}
	}
	return help
}

func familyOf(name string, typ map[string]string) string {
	for _, suf := range []string{"_bucket", "_sum", "_count"} {
		if base, ok := strings.CutSuffix(name, suf); ok && typ[base] == Histogram {
			return base
		}
	}
	return name
}

func TestLabelsEscape(t *testing.T) {
	if got := Labels("name", "a\\b\"c\nd", "input", "0"); got != `name="a\\b\"c\nd",input="0"` {
		t.Errorf("Labels = %s", got)
	}
	if got := With("", "id", "x"); got != `id="x"` {
		t.Errorf("With = %s", got)
	}
}

func TestProcParsers(t *testing.T) {
	c := parseStat([]byte("cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 2 3\n"))
	if c.total != 1000 || c.busy != 150 {
		t.Errorf("stat %+v", c)
	}
	if u := (cpuTimes{busy: 250, total: 1200}).usageSince(c); u != 50 {
		t.Errorf("usage %d, want 50", u)
	}
	if m := parseMeminfo([]byte("MemTotal:  1000 kB\nMemFree: 10 kB\nMemAvailable:   250 kB\n")); m != 75 {
		t.Errorf("meminfo %d, want 75", m)
	}
	devs := parseNetDev([]byte("Inter-|   Receive\n face |bytes\n    lo: 10 1 0 0 0 0 0 0 20 1 0 0 0 0 0 0\n  eth0: 300 3 0 0 0 0 0 0 400 4 0 0 0 0 0 0\n"))
	if len(devs) != 2 || devs[1].Name != "eth0" || devs[1].Rx != 300 || devs[1].Tx != 400 || !devs[0].loopback {
		t.Errorf("net/dev %+v", devs)
	}
}

func FuzzProcParsers(f *testing.F) {
	f.Add([]byte("cpu  1 2 3 4 5\n"))
	f.Add([]byte("MemTotal: 5 kB\nMemAvailable: 9 kB\n"))
	f.Add([]byte(" eth0: 1 2 3 4 5 6 7 8 9 10\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = parseStat(b)
		if m := parseMeminfo(b); m < 0 || m > 100 {
			t.Errorf("meminfo %d", m)
		}
		if d := parseNetDev(b); len(d) > maxNetDevs {
			t.Errorf("%d interfaces", len(d))
		}
		_ = bytes.Count(b, []byte{'\n'})
	})
}
