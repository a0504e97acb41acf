//go:build !linux

package rtmp

// canSetLowat is false where a low-water mark does not hold back the
// runtime's poller (kqueue ignores SO_RCVLOWAT without NOTE_LOWAT): reads
// are not paced there.
const canSetLowat = false

func setLowat(uintptr, int) error { return nil }
