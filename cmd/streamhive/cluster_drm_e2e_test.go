//go:build e2e

package main

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"net/http"
	"strings"
	"testing"
	"time"

	"streamhive/actors/cluster"
	"streamhive/media/drm"
	"streamhive/media/dvr/remote"
	"streamhive/media/mediatest"
	"streamhive/protocols/cpix/cpixtest"
)

// TestClusterRelaysProtectedStream: a cluster_ingest stream with a drm
// line on every node plays on a node that does not capture it: its relay
// pulls the owner's frames saying it protects the stream, and serves
// them as AES-128 HLS with the keys of its own drm line, the same as the
// owner's for the same time (one key server, one resource_id). The
// owner's recording goes only to a read that says its node protects the
// stream too (clusterdvr's reads do).
func TestClusterRelaysProtectedStream(t *testing.T) {
	ks := cpixtest.New("seed")
	t.Cleanup(ks.Close)
	c := startIngestCluster(t, "dvr %s/dvr 1h; drm cpix keyserver="+ks.URL+"/cpix resource_id=ci;")
	a, nodeC := c.nodes[0], c.nodes[2]
	var pl []byte
	mediatest.WaitFor(t, 30*time.Second, "ci's protected HLS on C", func() bool {
		code, b := getURL(t, nodeC.base+"/ci/mono.m3u8")
		pl = b
		return code == http.StatusOK && keyTag.Match(b)
	})
	seg, msn := lastTSSegment(t, string(pl))
	uris := keyTag.FindAllSubmatch(pl, -1)
	keyURI := "/ci/" + string(uris[len(uris)-1][1])
	code, key := getURL(t, nodeC.base+keyURI)
	if code != http.StatusOK || len(key) != 16 {
		t.Fatalf("C's key URI: %d %x", code, key)
	}
	if code, ownerKey := getURL(t, a.base+keyURI); code != http.StatusOK || !bytes.Equal(ownerKey, key) {
		t.Errorf("A's key for the same URI: %d %x, C's %x", code, ownerKey, key)
	}
	code, body := getURL(t, nodeC.base+"/ci/"+seg)
	if code != http.StatusOK || len(body) == 0 || len(body)%aes.BlockSize != 0 || isTS(body) {
		t.Fatalf("C's segment %s: %d, %d bytes, clear %v", seg, code, len(body), isTS(body))
	}
	block, _ := aes.NewCipher(key)
	plain := make([]byte, len(body))
	cipher.NewCBCDecrypter(block, drm.SequenceIV(msn)).CryptBlocks(plain, body)
	if !isTS(plain) {
		t.Errorf("C's segment %d does not decrypt to MPEG-TS with the key", msn)
	}
	if strings.Contains(a.log.String(), "pull refused") {
		t.Errorf("A refused a pull:\n%s", a.log.String())
	}
	for _, protects := range []bool{false, true} {
		if got, want := dvrRecordsStatus(t, a, protects), map[bool]int{false: 403, true: 200}[protects]; got != want {
			t.Errorf("A's recording of ci to a read that protects it %v: %d, want %d", protects, got, want)
		}
	}
}

// dvrRecordsStatus is the status of p's answer to another node's read of
// its recording of ci, saying it protects ci itself or not.
func dvrRecordsStatus(t *testing.T, p *proc, protects bool) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, p.base+remote.PathRecords+"?stream=ci", nil)
	req.Header.Set(cluster.KeyHeader, cluster.KeyProof("sharedkey", time.Now()))
	if protects {
		req.Header.Set(remote.ProtectsHeader, remote.ProtectsValue)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}
