package cluster

// calls.pb.go is committed; `make generate` (go generate) rebuilds it with
// protoc and protoc-gen-go v1.36.9 on the PATH.
//go:generate protoc --proto_path=../.. --go_out=../.. --go_opt=module=streamhive actors/cluster/calls.proto
