package dvr

import (
	"testing"
	"time"
)

func TestDecodeMeta(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{
		{`{"start_ms":1,"duration_ns":2000000000,"dts_ns":0,"epoch":0,"ts_bytes":188,"cmaf_bytes":[10,0]}`, true},
		{`{"start_ms":1,"duration_ns":0,"ts_bytes":188}`, false},
		{`{"start_ms":1,"duration_ns":5,"ts_bytes":-1}`, false},
		{`{"start_ms":1,"duration_ns":5,"ts_bytes":1,"cmaf_bytes":[-5,5]}`, false},
		{`{"start_ms":1,"duration_ns":5,"epoch":-1}`, false},
		{`{"start_ms":"x"}`, false},
		{``, false},
	} {
		_, err := decodeMeta([]byte(c.in))
		if (err == nil) != c.ok {
			t.Errorf("%s: %v", c.in, err)
		}
	}
}

func TestNames(t *testing.T) {
	start := time.UnixMilli(1_700_000_000_123)
	b := baseName(start, 1999*time.Millisecond)
	if b != "1700000000123-1999" || !isBaseName(b) {
		t.Fatalf("baseName %q", b)
	}
	for _, s := range []string{"", "1", "a-1", "1-b", "1-2-3", ".tmp-1-2"} {
		if isBaseName(s) {
			t.Errorf("isBaseName(%q)", s)
		}
	}
	if got := hourDir("/r", "live/cam", start); got != "/r/live%2Fcam/2023/11/14/22" {
		t.Errorf("hourDir %s", got)
	}
}
