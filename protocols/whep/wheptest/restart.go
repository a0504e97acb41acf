package wheptest

import (
	"context"
	"strings"

	"github.com/pion/webrtc/v4"
)

// RestartFragment makes an ICE-restart offer (new credentials) and
// returns the trickle-ICE fragment a WHEP client PATCHes with it: the new
// ufrag and pwd and every candidate gathered.
func (c *Client) RestartFragment(ctx context.Context) (string, error) {
	offer, err := c.pc.CreateOffer(&webrtc.OfferOptions{ICERestart: true})
	if err != nil {
		return "", err
	}
	gathered := webrtc.GatheringCompletePromise(c.pc)
	if err := c.pc.SetLocalDescription(offer); err != nil {
		return "", err
	}
	select {
	case <-gathered:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	desc := c.pc.LocalDescription().SDP
	var b strings.Builder
	for _, key := range []string{"ice-ufrag", "ice-pwd", "mid"} {
		b.WriteString("a=" + key + ":" + value(desc, key) + "\r\n")
	}
	for _, line := range lines(desc) {
		if strings.HasPrefix(line, "a=candidate:") {
			b.WriteString(line + "\r\n")
		}
	}
	b.WriteString("a=end-of-candidates\r\n")
	return b.String(), nil
}

// ApplyRestart applies the server's fragment answering an ICE restart:
// its previous answer with the fragment's credentials and candidates.
func (c *Client) ApplyRestart(frag string) error {
	var cands []string
	for _, line := range lines(frag) {
		if strings.HasPrefix(line, "a=candidate:") {
			cands = append(cands, line)
		}
	}
	var out []string
	for _, line := range lines(c.pc.RemoteDescription().SDP) {
		switch {
		case strings.HasPrefix(line, "a=candidate:"), line == "a=end-of-candidates", line == "":
		case strings.HasPrefix(line, "a=ice-ufrag:"):
			out = append(out, "a=ice-ufrag:"+value(frag, "ice-ufrag"))
		case strings.HasPrefix(line, "a=ice-pwd:"):
			out = append(out, "a=ice-pwd:"+value(frag, "ice-pwd"))
			out = append(out, cands...)
		default:
			out = append(out, line)
		}
	}
	answer := strings.Join(out, "\r\n") + "\r\n"
	return c.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: answer})
}

func lines(desc string) []string {
	ls := strings.Split(desc, "\n")
	for i, l := range ls {
		ls[i] = strings.TrimRight(l, "\r")
	}
	return ls
}

// value returns the value of desc's first a=key: line.
func value(desc, key string) string {
	for _, l := range lines(desc) {
		if v, ok := strings.CutPrefix(l, "a="+key+":"); ok {
			return v
		}
	}
	return ""
}
