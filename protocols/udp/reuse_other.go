//go:build !unix

package udp

// setReuseAddr does nothing where SO_REUSEADDR is not spelled the Unix
// way: two inputs on one group and port then fail to bind.
func setReuseAddr(uintptr) error { return nil }
