package cluster

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestParseNodeInfo(t *testing.T) {
	n, err := ParseNodeInfo([]byte(`{"id":"x","address":"127.0.0.1:1","api":"http://127.0.0.1:2","streams":["b","a"],"load":{"Clients":3}}`))
	if err != nil || n.ID != "x" || n.Streams[0] != "a" || n.Load.Clients != 3 {
		t.Fatalf("%+v %v", n, err)
	}
	for _, bad := range []string{``, `{}`, `{"id":"x"}`, `[]`, `{"id":"x","address":"a:1","streams":"s"}`, strings.Repeat(" ", maxNodeInfo+1)} {
		if _, err := ParseNodeInfo([]byte(bad)); !errors.Is(err, ErrNodeInfo) {
			t.Errorf("%.40q: %v", bad, err)
		}
	}
	if _, err := ReadNodeInfo(strings.NewReader(`{"id":"x","address":"a:1"}` + strings.Repeat(" ", maxNodeInfo))); err == nil {
		t.Error("an answer over the bound was read")
	}
}

func FuzzParseNodeInfo(f *testing.F) {
	f.Add([]byte(`{"id":"x","address":"127.0.0.1:1","api":"http://h","captures":["a"],"streams":["b"],"load":{"CPU":0.5}}`))
	f.Add([]byte(`{"id":"","address":""}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := ParseNodeInfo(b)
		if err == nil && (n.ID == "" || n.Address == "") {
			t.Fatalf("accepted %+v", n)
		}
		// A source's probe answer: no address needed, the same bounds.
		s, err := readSourceInfo(bytes.NewReader(b))
		if err == nil && (s.ID == "" || len(s.Streams) > maxNodeNames) {
			t.Fatalf("source answer accepted %+v", s)
		}
	})
}
