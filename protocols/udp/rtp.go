package udp

// stripRTP returns the MPEG-TS inside b when b is an RTP packet carrying
// it (RFC 2250 §2: version 2, then 188-byte packets after the fixed
// header, its CSRCs and any header extension, RFC 3550 §5.1, §5.3.1), and
// b unchanged when b starts with a TS sync byte or is anything else.
func stripRTP(b []byte) []byte {
	if len(b) < 12 || b[0] == 0x47 || b[0]>>6 != 2 {
		return b
	}
	n := 12 + 4*int(b[0]&0x0f)
	if b[0]&0x10 != 0 {
		if len(b) < n+4 {
			return b
		}
		n += 4 + 4*(int(b[n+2])<<8|int(b[n+3]))
	}
	if b[0]&0x20 != 0 && len(b) > n { // padding: the last byte says how much
		end := len(b) - int(b[len(b)-1])
		if end < n {
			return b
		}
		b = b[:end]
	}
	if len(b) <= n || b[n] != 0x47 {
		return b
	}
	return b[n:]
}
