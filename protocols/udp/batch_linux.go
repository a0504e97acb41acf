package udp

import (
	"net"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// batchReader reads several datagrams with one recvmmsg(2) call. The
// callback and its results live in the reader, so a read allocates
// nothing.
type batchReader struct {
	raw  syscall.RawConn
	hdrs []unix.Mmsghdr
	iovs []unix.Iovec
	recv func(fd uintptr) bool // b.recvmmsg, bound once

	// The current read's request and results, for recv.
	count  int
	got    int
	parked bool
	errno  syscall.Errno
}

func newBatchReader(conn *net.UDPConn, n int) *batchReader {
	raw, err := conn.SyscallConn()
	if err != nil {
		return nil
	}
	b := &batchReader{raw: raw, hdrs: make([]unix.Mmsghdr, n), iovs: make([]unix.Iovec, n)}
	b.recv = b.recvmmsg
	return b
}

// read receives up to len(sizes) datagrams, the i-th into
// p[i*slot:(i+1)*slot], waiting for the first; sizes[i] is its length
// before any cut (MSG_TRUNC), so a size over slot marks a cut datagram.
// parked reports whether the socket was empty when read was called.
func (b *batchReader) read(p []byte, slot int, sizes []int) (got int, parked bool, err error) {
	for i := range sizes {
		b.iovs[i].Base = &p[i*slot]
		b.iovs[i].SetLen(slot)
		b.hdrs[i] = unix.Mmsghdr{Hdr: unix.Msghdr{Iov: &b.iovs[i]}}
		b.hdrs[i].Hdr.SetIovlen(1)
	}
	b.count, b.got, b.parked, b.errno = len(sizes), 0, false, 0
	if err := b.raw.Read(b.recv); err != nil {
		return 0, b.parked, err
	}
	if b.errno != 0 {
		return 0, b.parked, b.errno
	}
	for i := range b.got {
		sizes[i] = int(b.hdrs[i].Len)
		if b.hdrs[i].Hdr.Flags&unix.MSG_TRUNC != 0 {
			sizes[i] = max(sizes[i], slot+1)
		}
	}
	return b.got, b.parked, nil
}

// recvmmsg is the RawConn.Read callback: false (park) while the socket is
// empty.
func (b *batchReader) recvmmsg(fd uintptr) bool {
	for {
		r, _, e := unix.Syscall6(unix.SYS_RECVMMSG, fd, uintptr(unsafe.Pointer(&b.hdrs[0])),
			uintptr(b.count), unix.MSG_TRUNC, 0, 0)
		if e == unix.EINTR {
			continue
		}
		if e == unix.EAGAIN {
			b.parked = true
			return false
		}
		b.got, b.errno = int(r), e
		return true
	}
}
