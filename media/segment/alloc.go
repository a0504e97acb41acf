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
