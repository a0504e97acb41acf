package segment

// newBuffer returns an empty slice of capacity n for media bytes. It is
// cleared like any make: uncleared memory (strings.Builder.Grow through
// unsafe) saved the clearing, but the first write then took the page
// faults the clearing had taken, so a profile of 20 RTMP streams showed no
// gain, and a slice read past what was written could have shown another
// stream's old bytes (or a content key).
func newBuffer(n int) []byte {
	if n <= 0 {
		return nil
	}
	return make([]byte, 0, n)
}

// reserve makes room for n more bytes in w.buf, growing it at most
// once per call: by what is needed, and w.ahead (the last
// segment's length, store.go) or a quarter more for what follows. Slices
// already handed out keep pointing into the outgrown array, which is never
// written again.
func (w *appendWriter) reserve(n int) {
	if cap(w.buf)-len(w.buf) >= n {
		return
	}
	need := len(w.buf) + n
	w.buf = append(newBuffer(need+max(w.ahead, need/4)), w.buf...)
}
