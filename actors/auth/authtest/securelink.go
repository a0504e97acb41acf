package authtest

import (
	"crypto/sha1" //nolint:gosec // Flussonic's securetoken is defined with SHA-1
	"encoding/hex"
	"strconv"
	"time"
)

// SecureLink is what a website knows when it signs a Flussonic secure
// link (`on_play securetoken://SECRET;`).
type SecureLink struct {
	Name   string    // the stream name
	IP     string    // the viewer's address; "no_check_ip" (or "") for a no_check_ip=true stream
	Secret string    // the secret after securetoken://
	Salt   string    // random, different for every link
	Start  time.Time // valid from (whole seconds)
	End    time.Time // valid until
	UserID string    // optional: the user whose sessions are limited
}

// Token returns the `token` query value, as Flussonic documents it:
// sha1(name + ip + starttime + endtime + secret + salt [+ user_id]) in hex,
// then salt, endtime and starttime, joined by '-', and the user_id last
// when there is one.
func (l SecureLink) Token() string {
	start := strconv.FormatInt(l.Start.Unix(), 10)
	end := strconv.FormatInt(l.End.Unix(), 10)
	sum := sha1.Sum([]byte(l.Name + l.IP + start + end + l.Secret + l.Salt + l.UserID)) //nolint:gosec // see import
	tok := hex.EncodeToString(sum[:]) + "-" + l.Salt + "-" + end + "-" + start
	if l.UserID != "" {
		tok += "-" + l.UserID
	}
	return tok
}
