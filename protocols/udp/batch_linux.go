package udp

import (
	"net"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// batchReader reads several datagrams with one recvmmsg(2) call.
type batchReader struct {
	raw  syscall.RawConn
	hdrs []unix.Mmsghdr
	iovs []unix.Iovec
}

func newBatchReader(conn *net.UDPConn, n int) *batchReader {
	raw, err := conn.SyscallConn()
	if err != nil {
		return nil
	}
	return &batchReader{raw: raw, hdrs: make([]unix.Mmsghdr, n), iovs: make([]unix.Iovec, n)}
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
	var errno syscall.Errno
	err = b.raw.Read(func(fd uintptr) bool {
		for {
			r, _, e := unix.Syscall6(unix.SYS_RECVMMSG, fd, uintptr(unsafe.Pointer(&b.hdrs[0])),
				uintptr(len(sizes)), unix.MSG_TRUNC, 0, 0)
			if e == unix.EINTR {
				continue
			}
			if e == unix.EAGAIN {
				parked = true
				return false // park until the socket is readable
			}
			got, errno = int(r), e
			return true
		}
	})
	if err != nil {
		return 0, parked, err
	}
	if errno != 0 {
		return 0, parked, errno
	}
	for i := range got {
		sizes[i] = int(b.hdrs[i].Len)
		if b.hdrs[i].Hdr.Flags&unix.MSG_TRUNC != 0 {
			sizes[i] = max(sizes[i], slot+1)
		}
	}
	return got, parked, nil
}
