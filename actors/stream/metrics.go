package stream

import "github.com/VictoriaMetrics/metrics"

// inputSwitches counts switches between inputs across all streams. A
// stream's own series (its inputs' TS and SRT counters, its transcoder)
// are written by gateway/metrics from the stream's published Status, one
// family at a time across all streams.
var inputSwitches = metrics.NewCounter(`streamhive_input_switches_total`)
