package rtmp

import (
	"strings"
	"testing"
)

func TestScrubLibMessage(t *testing.T) {
	for _, m := range []string{
		`Release stream...: StreamName = sk_live_123456`,
		`FCPublish stream...: StreamName = sk_live_123456?password=hunter22`,
		`Stream creating...: &message.NetConnectionConnect{Command:message.NetConnectionConnectCommand{App:"live", TCURL:"rtmp://h/live?password=hunter22&x=1"}}`,
		`publish: &message.NetStreamPublish{PublishingName:"sk_live_123456", PublishingType:"live"}`,
		`token=hunter22`,
	} {
		got := scrubLibMessage(m)
		if strings.Contains(got, "hunter22") || strings.Contains(got, "sk_live_123456") {
			t.Errorf("scrubLibMessage(%q) = %q", m, got)
		}
	}
	if got := scrubLibMessage("Set win ack size: Size = 2500000"); got != "Set win ack size: Size = 2500000" {
		t.Errorf("a message without secrets changed: %q", got)
	}
}
