package main

import (
	"streamhive/actors/input"
	"streamhive/protocols/fake"
	"streamhive/protocols/rtmp"
)

// pullers wires the protocol clients into the input actors by URL scheme.
// publish:// is built in (actors/input): the RTMP listener feeds it.
func pullers() input.Pullers {
	return input.Pullers{
		"fake": fake.Puller{},
		"rtmp": &rtmp.Puller{},
	}
}
