//go:build !linux

package udp

import "net"

// batchReader is Linux's recvmmsg reader; elsewhere datagrams are read
// one at a time.
type batchReader struct{}

func newBatchReader(*net.UDPConn, int) *batchReader { return nil }

func (*batchReader) read([]byte, int, []int) (int, bool, error) { return 0, false, nil }
