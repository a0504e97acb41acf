//go:build e2e

package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"streamhive/actors/certs/certstest"
	"streamhive/media/mediatest"
)

// Three processes whose peer lines name https ports form a cluster over
// TLS, their certificates issued by one test CA: a cluster_ingest stream captured at A plays
// over HLS from C (C's relay pulls it from A over m4fs://), C's API shows
// A's stats (a remote call over the TLS remote port), and a fourth node
// whose certificate another CA issued never joins: each side logs that
// it does not trust the other's certificate.
func TestClusterOverTLS(t *testing.T) {
	ours, theirs := certstest.New(t), certstest.New(t)
	tlsPorts := []int{freePort(t), freePort(t), freePort(t), freePort(t)} // the last: the stranger
	var peers strings.Builder
	for _, p := range tlsPorts {
		fmt.Fprintf(&peers, "peer 127.0.0.1:%d { api_url https://127.0.0.1:%d; }\n", p, p)
	}
	startNode := func(i int, pki *certstest.PKI, extra string) *proc {
		dir, port := t.TempDir(), freePort(t)
		pki.Leaf(t, int64(10+i)).Write(t, dir, "streamer", false)
		cfg := writeConfig(t, dir, port, fmt.Sprintf("https 127.0.0.1:%d;\ncluster_key sharedkey;\n%s%s",
			tlsPorts[i], peers.String(), extra))
		return start(t, port, "-config", cfg)
	}
	ci := fmt.Sprintf("stream ci { input fake://?bitrate=300000; input fake://?bitrate=200000; segment_duration 1; "+
		"cluster_ingest capture_at=127.0.0.1:%d; }\n", tlsPorts[0])
	a := startNode(0, ours, ci)
	nodes := []*proc{a, startNode(1, ours, ci), startNode(2, ours, ci)}
	stranger := startNode(3, theirs, "")
	t0 := time.Now()
	for i, n := range nodes {
		mediatest.WaitFor(t, 15*time.Second, fmt.Sprintf("node %d sees three members", i), func() bool {
			return strings.Contains(n.log.String(), `msg="cluster: members" count=3`)
		})
	}
	t.Logf("three members after %v", time.Since(t0))
	stranger127 := fmt.Sprintf("127.0.0.1:%d's certificate is not trusted", tlsPorts[3])
	mediatest.WaitFor(t, 10*time.Second, "A logs the stranger's certificate", func() bool {
		return strings.Contains(a.log.String(), stranger127)
	})
	mediatest.WaitFor(t, 10*time.Second, "the stranger logs A's certificate", func() bool {
		return strings.Contains(stranger.log.String(), fmt.Sprintf("127.0.0.1:%d's certificate is not trusted", tlsPorts[0]))
	})

	nodeC := nodes[2]
	t0 = time.Now()
	mediatest.WaitFor(t, 30*time.Second, "ci's HLS on C", playlistUp(nodeC, "/ci/index.m3u8"))
	t.Logf("ci's HLS on C after %v", time.Since(t0))
	if got := probeCodecs(t, nodeC.base+"/ci/index.m3u8"); !strings.Contains(got, "h264") {
		t.Errorf("ffprobe of ci's HLS on C: %q", got)
	}
	if !strings.Contains(nodeC.log.String(), fmt.Sprintf("m4fs://127.0.0.1:%d/ci", tlsPorts[0])) {
		t.Errorf("C's relay of ci does not pull over m4fs://:\n%s", nodeC.log.String())
	}
	// C's API shows A's stream (a call over the TLS remote port): its two
	// inputs, not the relay's one.
	if _, inputs := streamInputs(t, nodeC, "ci"); len(inputs) != 2 {
		t.Errorf("C's API shows ci's inputs %v, want A's two", inputs)
	}
	// A's HTTPS port answers a client that trusts the test CA.
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: ours.ClientConfig()}}
	resp, err := client.Get(fmt.Sprintf("https://127.0.0.1:%d/ci/index.m3u8", tlsPorts[0]))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	for _, n := range append(nodes, stranger) {
		if strings.Contains(n.log.String(), "peer joined") && strings.Contains(n.log.String(), fmt.Sprint(tlsPorts[3])+" id=") {
			t.Errorf("the stranger joined:\n%s", n.log.String())
		}
	}
	if strings.Contains(stranger.log.String(), "peer joined") {
		t.Errorf("the stranger saw a peer join:\n%s", stranger.log.String())
	}
}
