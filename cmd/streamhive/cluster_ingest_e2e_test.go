//go:build e2e

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	neturl "net/url"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"streamhive/actors/cluster"
	"streamhive/media/mediatest"
)

// ingestCluster is three nodes A, B, C on loopback with static peers and
// one cluster_key, each configured with cluster_ingest stream "ci"
// (captured at A while A lives) and A alone with stream "solo".
type ingestCluster struct {
	t     *testing.T
	ports [3]int
	dirs  [3]string
	confs [3]string
	nodes [3]*proc
}

// startIngestCluster starts the three nodes; streamExtra goes into ci's
// block (a `dvr` line), with %s replaced by the node's own directory;
// argsA are A's extra command-line arguments.
func startIngestCluster(t *testing.T, streamExtra string, argsA ...string) *ingestCluster {
	t.Helper()
	c := &ingestCluster{t: t}
	for i := range c.ports {
		c.ports[i] = freePort(t)
		c.dirs[i] = t.TempDir()
	}
	var peers strings.Builder
	for _, p := range c.ports {
		fmt.Fprintf(&peers, "peer 127.0.0.1:%d;\n", p)
	}
	for i := range c.nodes {
		extra := streamExtra
		if strings.Contains(extra, "%s") {
			extra = fmt.Sprintf(extra, c.dirs[i])
		}
		conf := "cluster_key sharedkey;\n" + peers.String() + fmt.Sprintf(
			"stream ci { input fake://?bitrate=600000; input fake://?bitrate=300000; segment_duration 1; "+
				"cluster_ingest capture_at=127.0.0.1:%d; %s }\n", c.ports[0], extra)
		if i == 0 {
			conf += "stream solo { input fake://?bitrate=300000; segment_duration 1; }\n" +
				"stream od { input fake://?bitrate=300000; segment_duration 1; static false; }\n"
		}
		c.confs[i] = writeConfig(t, c.dirs[i], c.ports[i], conf)
	}
	for i := range c.nodes {
		args := []string{"-config", c.confs[i]}
		if i == 0 {
			args = append(args, argsA...)
		}
		c.nodes[i] = start(t, c.ports[i], args...)
	}
	for i, n := range c.nodes {
		mediatest.WaitFor(t, 15*time.Second, fmt.Sprintf("node %d sees three members", i), func() bool {
			return strings.Contains(n.log.String(), `msg="cluster: members" count=3`)
		})
	}
	return c
}

// nodeInfo is a node's probe answer (GET /streamhive/cluster/node with the key).
func nodeInfo(t *testing.T, p *proc) cluster.NodeInfo {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, p.base+cluster.NodePath, nil)
	req.Header.Set(cluster.KeyHeader, cluster.KeyProof("sharedkey", time.Now()))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return cluster.NodeInfo{}
	}
	defer func() { _ = resp.Body.Close() }()
	info, err := cluster.ReadNodeInfo(resp.Body)
	if err != nil {
		return cluster.NodeInfo{}
	}
	return info
}

// captures returns which of nodes capture stream name now (by index).
func captures(t *testing.T, nodes []*proc, name string) []int {
	t.Helper()
	var out []int
	for i, n := range nodes {
		if n == nil {
			continue
		}
		for _, c := range nodeInfo(t, n).Captures {
			if c == name {
				out = append(out, i)
			}
		}
	}
	return out
}

// streamInputs reads a stream's inputs (url, active) through p's API.
func streamInputs(t *testing.T, p *proc, name string) (alive bool, inputs []map[string]any) {
	t.Helper()
	code, body := p.do("GET", "/streamer/api/v3/streams/"+name, "", "")
	if code != 200 {
		return false, nil
	}
	var st struct {
		Stats struct {
			Alive  bool             `json:"alive"`
			Inputs []map[string]any `json:"inputs"`
		} `json:"stats"`
	}
	if json.Unmarshal([]byte(body), &st) != nil {
		return false, nil
	}
	return st.Stats.Alive, st.Stats.Inputs
}

func playlistUp(p *proc, path string) func() bool {
	return func() bool {
		resp, err := http.Get(p.base + path)
		if err != nil {
			return false
		}
		_ = resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}
}

// TestClusterIngestServesFromAnyNode: the cluster_ingest stream captured
// at A plays over HLS from C (C's relay pulls it from A over m4f), C's
// API shows A's stats and forwards a select to A, and a stream configured
// on A alone plays from C too. An on-demand stream of A's that C's
// viewer plays keeps running on A past A's clients_timeout: C's pull
// counts as a viewer there.
func TestClusterIngestServesFromAnyNode(t *testing.T) {
	c := startIngestCluster(t, "", "-clients-timeout", "2s")
	a, nodeC := c.nodes[0], c.nodes[2]
	mediatest.WaitFor(t, 10*time.Second, "A captures ci, alone", func() bool {
		got := captures(t, c.nodes[:], "ci")
		return len(got) == 1 && got[0] == 0
	})
	mediatest.WaitFor(t, 30*time.Second, "ci's HLS on C", playlistUp(nodeC, "/ci/index.m3u8"))
	if got := probeCodecs(t, nodeC.base+"/ci/index.m3u8"); !strings.Contains(got, "h264") {
		t.Errorf("ffprobe of ci's HLS on C: %q", got)
	}

	// C's API shows the owner's stream: its two inputs, input 0 running,
	// not the relay's one m4f:// input.
	_, inputs := streamInputs(t, nodeC, "ci")
	if len(inputs) != 2 || inputs[0]["active"] != true {
		t.Errorf("C's API shows ci's inputs %v, want A's two", inputs)
	}
	if code, body := nodeC.do("POST", "/streamer/api/v3/streams/ci/inputs/1/select", "", ""); code != http.StatusNoContent {
		t.Fatalf("select through C: %d %s", code, body)
	}
	mediatest.WaitFor(t, 10*time.Second, "A's ci fed by input 1", func() bool {
		_, in := streamInputs(t, a, "ci")
		return len(in) == 2 && in[1]["active"] == true
	})

	// A stream configured on A alone: C opens a relay on demand.
	mediatest.WaitFor(t, 30*time.Second, "solo's HLS on C", playlistUp(nodeC, "/solo/index.m3u8"))
	if got := probeCodecs(t, nodeC.base+"/solo/index.m3u8"); !strings.Contains(got, "h264") {
		t.Errorf("ffprobe of solo's HLS on C: %q", got)
	}
	if got := captures(t, c.nodes[:], "ci"); len(got) != 1 || got[0] != 0 {
		t.Errorf("ci captured by %v, want A alone", got)
	}

	od := nodeC.base + "/od/index.m3u8"
	mediatest.WaitFor(t, 30*time.Second, "od's HLS on C", playlistUp(nodeC, "/od/index.m3u8"))
	viewer := followHLS(segmentURL(od, lastSegment(od)))
	time.Sleep(5 * time.Second) // past A's clients_timeout (2 s) while C's viewer plays
	arrived, failed := viewer.end()
	if gap := longestGap(arrived, time.Now().Add(-5*time.Second), time.Now()); gap > 2500*time.Millisecond || len(failed) > 0 {
		t.Errorf("C's viewer of od waited %v for a segment; failed fetches %v", gap, failed)
	}
	if strings.Contains(a.log.String(), `"m4f: pull ended" stream=od`) {
		t.Errorf("A stopped od while C pulled it:\n%s", a.log.String())
	}
}

// hlsFollower polls a live media playlist as a player does and notes when
// each new last segment appeared, fetching it (a player that cannot fetch
// a listed segment stalls).
type hlsFollower struct {
	mu      sync.Mutex
	arrived []time.Time // when each new last segment was first listed
	failed  []string
	stop    chan struct{}
	done    chan struct{}
}

func followHLS(url string) *hlsFollower {
	f := &hlsFollower{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(f.done)
		last := ""
		for {
			select {
			case <-f.stop:
				return
			case <-time.After(100 * time.Millisecond): // a player's poll, not a synchronisation
			}
			seg := lastSegment(url)
			if seg == "" || seg == last {
				continue
			}
			last = seg
			code := fetchStatus(segmentURL(url, seg))
			f.mu.Lock()
			f.arrived = append(f.arrived, time.Now())
			if code != http.StatusOK {
				f.failed = append(f.failed, fmt.Sprintf("%s: %d", seg, code))
			}
			f.mu.Unlock()
		}
	}()
	return f
}

func (f *hlsFollower) end() (arrived []time.Time, failed []string) {
	close(f.stop)
	<-f.done
	return f.arrived, f.failed
}

// longestGap is the longest wait for a new segment between since and until.
func longestGap(arrived []time.Time, since, until time.Time) time.Duration {
	var gap time.Duration
	prev := since
	for _, at := range arrived {
		if at.Before(since) {
			continue
		}
		gap = max(gap, at.Sub(prev))
		prev = at
	}
	return max(gap, until.Sub(prev))
}

// playerClient bounds each request of the follower, as a player does.
var playerClient = &http.Client{Timeout: 3 * time.Second}

func lastSegment(url string) string {
	resp, err := playerClient.Get(url)
	if err != nil {
		return ""
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return ""
	}
	lines := strings.Fields(string(b))
	for i := len(lines) - 1; i >= 0; i-- {
		if !strings.HasPrefix(lines[i], "#") {
			return lines[i]
		}
	}
	return ""
}

func segmentURL(playlist, seg string) string {
	if strings.HasPrefix(seg, "http") {
		return seg
	}
	if strings.HasPrefix(seg, "/") {
		u, _ := neturl.Parse(playlist)
		return u.Scheme + "://" + u.Host + seg
	}
	return playlist[:strings.LastIndex(playlist, "/")+1] + seg
}

func fetchStatus(url string) int {
	resp, err := playerClient.Get(url)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode
}

// TestClusterIngestTakeover: SIGKILL the node capturing a cluster_ingest
// stream while a viewer follows it on another node: a survivor captures
// it within detection and the first keyframe (both measured and logged,
// with the viewer's gap); the killed node restarts and takes nothing back;
// the DVR archive read on C holds the recordings of both owners, one
// archive with a discontinuity where the capture moved.
func TestClusterIngestTakeover(t *testing.T) {
	c := startIngestCluster(t, "dvr %s/dvr 1h;")
	a, nodeC := c.nodes[0], c.nodes[2]
	mediatest.WaitFor(t, 10*time.Second, "A captures ci, alone", func() bool {
		got := captures(t, c.nodes[:], "ci")
		return len(got) == 1 && got[0] == 0
	})
	hls := nodeC.base + "/ci/index.m3u8"
	mediatest.WaitFor(t, 30*time.Second, "ci's HLS on C", playlistUp(nodeC, "/ci/index.m3u8"))
	viewer := followHLS(segmentURL(hls, lastSegment(hls))) // the master's one variant
	time.Sleep(4 * time.Second)                            // A records a few segments while C's viewer plays

	killed := time.Now()
	a.stop(syscall.SIGKILL)
	survivors := []*proc{nil, c.nodes[1], nodeC}
	var owner int
	mediatest.WaitFor(t, 10*time.Second, "a survivor captures ci", func() bool {
		got := captures(t, survivors, "ci")
		if len(got) == 1 {
			owner = got[0]
		}
		return len(got) == 1
	})
	detected := time.Since(killed)
	mediatest.WaitFor(t, 10*time.Second, "the new owner's ci alive", func() bool {
		alive, _ := streamInputs(t, c.nodes[owner], "ci")
		return alive
	})
	producing := time.Since(killed)
	time.Sleep(3 * time.Second) // the viewer plays on after the move
	arrived, failed := viewer.end()
	gap := longestGap(arrived, killed.Add(-2*time.Second), time.Now())
	t.Logf("SIGKILL of A → node %d captures ci: %v (detection); its ci alive: %v; the viewer on C waited %v for a new segment",
		owner, detected.Round(time.Millisecond), producing.Round(time.Millisecond), gap.Round(time.Millisecond))
	if detected > 4*time.Second {
		t.Errorf("capture moved %v after the kill, want detection (≤ 3 s) + a probe", detected)
	}
	if gap > 5*time.Second || len(failed) > 0 {
		var rel []string
		for _, at := range arrived {
			rel = append(rel, at.Sub(killed).Round(10*time.Millisecond).String())
		}
		_, pl := nodeC.do("GET", "/ci/index.m3u8", "", "")
		t.Errorf("the viewer on C waited %v for a segment (want ≤ 5 s); failed fetches %v; segments at %v after the kill; now:\n%s",
			gap, failed, rel, pl)
	}

	// A restarts with the same config: it rejoins and takes nothing back.
	c.nodes[0] = start(t, c.ports[0], "-config", c.confs[0])
	mediatest.WaitFor(t, 15*time.Second, "A rejoins", func() bool {
		return strings.Contains(c.nodes[0].log.String(), `msg="cluster: members" count=3`)
	})
	for range 6 {
		time.Sleep(500 * time.Millisecond) // watching placement stay put, not waiting for it
		if got := captures(t, c.nodes[:], "ci"); len(got) != 1 || got[0] != owner {
			t.Fatalf("after A's restart ci is captured by %v, want node %d alone", got, owner)
		}
	}
	t.Logf("killed at %s", killed.UTC().Format("15:04:05.000"))
	checkArchiveAcrossMove(t, nodeC, killed)
	if t.Failed() {
		for i, d := range c.dirs {
			files, _ := filepath.Glob(filepath.Join(d, "dvr", "*", "*", "*", "*", "*"))
			t.Logf("node %d recorded %d files: %v", i, len(files), files)
		}
	}
}

// checkArchiveAcrossMove: C's DVR ranges hold A's recording (before the
// kill) and the new owner's (after it); the archive playlist over both has
// a discontinuity at the move and its segments fetch. When C itself took
// the capture over, its relay's stream went on (one segmenter): its
// writer records only C's own segments, the first stamped with the wall
// clock of C's capture, so the move is a discontinuity there too.
func checkArchiveAcrossMove(t *testing.T, nodeC *proc, killed time.Time) {
	t.Helper()
	var r dvrRanges
	if !mediatest.Eventually(10*time.Second, func() bool {
		r = getRanges(t, nodeC, "ci")
		before, after := false, false
		for _, x := range r.Ranges {
			before = before || x.From < killed.Unix()-1
			after = after || x.From+x.Duration > killed.Unix()+2
		}
		return before && after
	}) {
		t.Fatalf("C's ranges %+v lack one owner's (A killed at %d)", r.Ranges, killed.Unix())
	}
	first, last := r.Ranges[0], r.Ranges[len(r.Ranges)-1]
	from, dur := first.From, last.From+last.Duration-first.From
	master := fmt.Sprintf("%s/ci/index-%d-%d.m3u8", nodeC.base, from, dur)
	variant := segmentURL(master, lastSegment(master))
	media := httpGet(t, variant)
	if !strings.Contains(media, "#EXT-X-DISCONTINUITY") {
		t.Errorf("the archive over both owners has no discontinuity:\n%s", media)
	}
	n := 0
	for _, line := range strings.Fields(media) {
		if strings.HasPrefix(line, "#") {
			continue
		}
		n++
		if code := fetchStatus(segmentURL(variant, line)); code != http.StatusOK {
			t.Errorf("archive segment %s: %d", line, code)
		}
	}
	t.Logf("C's ranges %+v; archive of %d segments over both owners", r.Ranges, n)
	if n < 4 {
		t.Errorf("archive over both owners has %d segments:\n%s", n, media)
	}
}
