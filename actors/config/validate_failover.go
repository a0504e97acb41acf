package config

// failover checks StreamHive's failover settings of a stream, template or
// input (ptr names the object): return_after is seconds or false, and
// error_threshold is a count.
func (v *validator) failover(p position, ptr string, returnAfter *Timeout, errorThreshold int) {
	if r := returnAfter; r != nil && !r.Disabled && r.Seconds < 0 {
		v.add(p, ptr+"/return_after", "return_after %d is negative", r.Seconds)
	}
	if errorThreshold < 0 {
		v.add(p, ptr+"/error_threshold", "error_threshold %d is negative", errorThreshold)
	}
}
