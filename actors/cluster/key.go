package cluster

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// KeyHeader is the HTTP header a node's calls to another node carry: a
// proof of the cluster key, never the key itself (Flussonic's rule: the key
// is sent only as a hash).
const KeyHeader = "X-Streamhive-Cluster"

// keySkew is how far a proof's time may be from the checker's clock: it
// bounds a captured proof's replay, and it is the clock skew nodes tolerate.
const keySkew = 5 * time.Minute

// KeyProof returns the value of KeyHeader (and of the gRPC metadata) for
// key at now: "UNIX.HMAC", the HMAC-SHA256 of the time under the key.
func KeyProof(key string, now time.Time) string {
	ts := strconv.FormatInt(now.Unix(), 10)
	return ts + "." + hex.EncodeToString(keyMAC(key, ts))
}

// CheckKeyProof reports whether proof was made with key within keySkew of
// now. An empty key checks nothing and refuses every proof: a node with no
// cluster_key is in no cluster.
func CheckKeyProof(key, proof string, now time.Time) bool {
	if key == "" || len(proof) > 96 {
		return false
	}
	ts, mac, ok := strings.Cut(proof, ".")
	if !ok {
		return false
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	if d := now.Sub(time.Unix(sec, 0)); d > keySkew || d < -keySkew {
		return false
	}
	got, err := hex.DecodeString(mac)
	return err == nil && hmac.Equal(got, keyMAC(key, ts))
}

func keyMAC(key, ts string) []byte {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte("streamhive cluster v1 " + ts))
	return m.Sum(nil)
}
