// Package m4fpb is the generated code of m4f.proto: the records of the
// m4f framing (streamhive/media/m4f). Regenerate with `make generate`.
package m4fpb

//go:generate protoc --plugin=protoc-gen-go=$HOME/go/bin/protoc-gen-go --go_out=. --go_opt=paths=source_relative m4f.proto
