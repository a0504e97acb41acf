package main

import "streamhive/actors/input"

// pullers wires the protocol clients into the input actors by URL scheme.
// publish:// is built in (actors/input); media pullers (fake://, rtmp://)
// join here when the stream actor feeds a hub (issue 3).
func pullers() input.Pullers {
	return input.Pullers{}
}
