package cluster

import (
	"testing"
	"time"
)

func TestKeyProof(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	p := KeyProof("secret", now)
	for _, tt := range []struct {
		name, key, proof string
		at               time.Time
		want             bool
	}{
		{"same key", "secret", p, now, true},
		{"within skew", "secret", p, now.Add(4 * time.Minute), true},
		{"wrong key", "other", p, now, false},
		{"too old", "secret", p, now.Add(6 * time.Minute), false},
		{"from the future", "secret", p, now.Add(-6 * time.Minute), false},
		{"no key configured", "", p, now, false},
		{"the key in clear", "secret", "secret", now, false},
		{"garbage", "secret", "1800000000.zz", now, false},
		{"empty", "secret", "", now, false},
	} {
		if got := CheckKeyProof(tt.key, tt.proof, tt.at); got != tt.want {
			t.Errorf("%s: CheckKeyProof = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func FuzzCheckKeyProof(f *testing.F) {
	f.Add(KeyProof("k", time.Unix(1_800_000_000, 0)))
	f.Add("1.")
	f.Fuzz(func(_ *testing.T, proof string) {
		CheckKeyProof("k", proof, time.Unix(1_800_000_000, 0))
	})
}
