package rtmp

import "syscall"

// canSetLowat: Linux wakes an epoll reader of a TCP socket only once
// SO_RCVLOWAT bytes are queued (since 4.18, tcp_poll and tcp_data_ready).
const canSetLowat = true

func setLowat(fd uintptr, n int) error {
	return syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVLOWAT, n)
}
