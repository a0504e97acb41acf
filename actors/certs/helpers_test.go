package certs

import (
	"encoding/pem"
	"testing"
)

func pemBlock(t testing.TB, b []byte) []byte {
	t.Helper()
	block, _ := pem.Decode(b)
	if block == nil {
		t.Fatal("no PEM block")
	}
	return block.Bytes
}
