package metrics

import (
	"bytes"

	vm "github.com/VictoriaMetrics/metrics"
)

// libraryHelp is the HELP text of the families kept with
// github.com/VictoriaMetrics/metrics (counters and histograms updated on
// hot paths, and the actor packages' own writers): the library writes a
// HELP line without text, which Prometheus's linters refuse.
var libraryHelp = map[string]string{
	"streamhive_api_requests_total":           "Control API requests, by route pattern, method and status.",
	"streamhive_api_request_duration_seconds": "Control API request durations, by route pattern and method.",
	"streamhive_actor_restarts_total":         "Restarts of actors by their supervisor, by kind of actor.",
	"streamhive_actor_stops_total":            "Actors their supervisor stopped for good, by kind of actor.",
	"streamhive_streams":                      "Streams whose actor runs, by state.",
	"streamhive_input_switches_total":         "Changes of the feeding input, all streams together.",
}

// writeLibrary appends the library's page with every empty HELP line
// given its text.
func writeLibrary(t *Text) {
	vm.ExposeMetadata(true) // HELP and TYPE lines for the library's own series
	var buf bytes.Buffer
	vm.WritePrometheus(&buf, false)
	for line := range bytes.Lines(buf.Bytes()) {
		name, ok := bytes.CutPrefix(bytes.TrimSuffix(line, []byte{'\n'}), []byte("# HELP "))
		if !ok || bytes.IndexByte(name, ' ') >= 0 {
			t.Raw(line)
			continue
		}
		help := libraryHelp[string(name)]
		if help == "" {
			help = "StreamHive's " + string(name) + "."
		}
		t.Raw([]byte("# HELP " + string(name) + " " + help + "\n"))
	}
}
