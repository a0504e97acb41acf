package stream

import (
	"time"

	"streamhive/actors/config"
	"streamhive/supervision"
)

// failoverConfig maps a stream's configuration to the failover policy's.
func failoverConfig(s config.Stream) supervision.FailoverConfig {
	fc := supervision.FailoverConfig{
		SourceTimeout:  timeoutOf(s.SourceTimeout),
		ReturnAfter:    timeoutOf(s.ReturnAfter),
		ErrorThreshold: s.ErrorThreshold,
		Inputs:         make([]supervision.FailoverInput, len(s.Inputs)),
	}
	for i, in := range s.Inputs {
		fc.Inputs[i] = supervision.FailoverInput{
			Priority: in.Priority, SourceTimeout: timeoutOf(in.SourceTimeout),
			Backup: in.Backup, Standby: in.Standby,
			ReturnAfter: timeoutOf(in.ReturnAfter), ErrorThreshold: in.ErrorThreshold,
		}
	}
	return fc
}

// timeoutOf maps a source_timeout or return_after: nil → 0 (inherit, or
// the policy's default), false → Never, seconds → that long (0 s reads
// as inherit).
func timeoutOf(t *config.Timeout) time.Duration {
	switch {
	case t == nil:
		return 0
	case t.Disabled:
		return supervision.Never
	}
	return time.Duration(t.Seconds) * time.Second
}
