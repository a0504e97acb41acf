// Package clusterpb is the generated code of calls.proto: the calls one
// node of a cluster makes on another's cluster actor (actors/cluster), the
// only messages that cross nodes. Regenerate with `make generate` (protoc
// and protoc-gen-go v1.36.9 on the PATH); the generated file is committed.
package clusterpb

//go:generate protoc --plugin=protoc-gen-go=$HOME/go/bin/protoc-gen-go --go_out=. --go_opt=paths=source_relative calls.proto
