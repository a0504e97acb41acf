package whep

import (
	"context"
	"fmt"
	"strings"

	"github.com/pion/webrtc/v4"
)

// trickle applies f: an ICE restart first when its credentials are new,
// then its candidates. It returns the restart's answer fragment.
func (sess *session) trickle(ctx context.Context, f fragment) ([]byte, error) {
	sess.mu.Lock()
	defer sess.mu.Unlock()
	var answer []byte
	remote := sess.pc.RemoteDescription()
	if remote == nil {
		return nil, fmt.Errorf("%w: the session has no offer", ErrBadFragment)
	}
	if f.ufrag != "" && f.ufrag != sdpValue(remote.SDP, "ice-ufrag") {
		sd, err := sess.restart(ctx, remote.SDP, f)
		if err != nil {
			return nil, err
		}
		answer = answerFragment(sd)
	}
	for _, c := range f.candidates {
		init := webrtc.ICECandidateInit{Candidate: c}
		if f.mid != "" {
			init.SDPMid = &f.mid
		} else {
			var first uint16
			init.SDPMLineIndex = &first // BUNDLE: one transport for all
		}
		if err := sess.pc.AddICECandidate(init); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrBadFragment, err)
		}
	}
	return answer, nil
}

// restart applies the offer again with f's credentials (an ICE restart,
// RFC 8840 section 4.4) and returns our new description.
func (sess *session) restart(ctx context.Context, offer string, f fragment) (string, error) {
	offer = replaceValue(offer, "ice-ufrag", f.ufrag)
	offer = replaceValue(offer, "ice-pwd", f.pwd)
	if err := sess.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offer}); err != nil {
		return "", fmt.Errorf("%w: ICE restart: %w", ErrBadFragment, err)
	}
	sd, err := sess.answer(ctx)
	if err != nil {
		return "", err
	}
	sess.log.Info("whep: ICE restarted")
	return string(sd), nil
}

// answerFragment is the fragment answering an ICE restart: our new
// credentials and candidates, from our description's first media
// section (every section shares one BUNDLE transport).
func answerFragment(desc string) []byte {
	var b strings.Builder
	b.WriteString("a=ice-ufrag:" + sdpValue(desc, "ice-ufrag") + "\r\n")
	b.WriteString("a=ice-pwd:" + sdpValue(desc, "ice-pwd") + "\r\n")
	inMedia := 0
	for _, line := range strings.Split(desc, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.HasPrefix(line, "m=") {
			inMedia++
			if inMedia > 1 {
				break
			}
			b.WriteString(line + "\r\n")
		}
		if inMedia == 1 && (strings.HasPrefix(line, "a=mid:") || strings.HasPrefix(line, "a=candidate:")) {
			b.WriteString(line + "\r\n")
		}
	}
	b.WriteString("a=end-of-candidates\r\n")
	return []byte(b.String())
}

// sdpValue returns the value of the first a=key: line of desc.
func sdpValue(desc, key string) string {
	for _, line := range strings.Split(desc, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimRight(line, "\r"), "a="+key+":"); ok {
			return v
		}
	}
	return ""
}

// replaceValue sets every a=key: line of desc to val.
func replaceValue(desc, key, val string) string {
	lines := strings.Split(desc, "\n")
	for i, line := range lines {
		cr := strings.HasSuffix(line, "\r")
		if strings.HasPrefix(line, "a="+key+":") {
			lines[i] = "a=" + key + ":" + val
			if cr {
				lines[i] += "\r"
			}
		}
	}
	return strings.Join(lines, "\n")
}
