package cluster

import (
	"context"
	"log/slog"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"
)

// The gRPC metadata of a remote call: the proof of the key, and the
// caller's own remote address, which names it in the callee's log.
const (
	keyMetadata  = "x-streamhive-cluster"
	fromMetadata = "x-streamhive-node"
)

// keyCredentials put a fresh proof of the key on every gRPC call
// protoactor's remote makes (its message stream included).
type keyCredentials struct {
	key  string
	from func() string // this node's remote address, once it listens
}

func (k keyCredentials) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{keyMetadata: KeyProof(k.key, time.Now()), fromMetadata: k.from()}, nil
}

// RequireTransportSecurity is false: the proof is an HMAC of the time,
// never the key, so it may cross a plain connection (TLS is the
// operator's choice, not a condition of the key).
func (keyCredentials) RequireTransportSecurity() bool { return false }

var _ credentials.PerRPCCredentials = keyCredentials{}

// keyDialOption makes every call this node dials carry the proof of key.
func keyDialOption(key string, from func() string) grpc.DialOption {
	return grpc.WithPerRPCCredentials(keyCredentials{key: key, from: from})
}

// keyServerOptions refuse every call, unary or stream, that does not
// prove key, and log who made it (never the key nor the proof).
func keyServerOptions(key string, log *slog.Logger) []grpc.ServerOption {
	check := func(ctx context.Context, method string) error {
		md, _ := metadata.FromIncomingContext(ctx)
		if CheckKeyProof(key, first(md, keyMetadata), time.Now()) {
			return nil
		}
		addr := "unknown"
		if p, ok := peer.FromContext(ctx); ok {
			addr = p.Addr.String()
		}
		log.Warn("cluster: refused a remote call without our cluster_key",
			"peer", addr, "node", first(md, fromMetadata), "method", method)
		return status.Error(codes.PermissionDenied, "cluster: wrong or missing cluster key")
	}
	return []grpc.ServerOption{
		grpc.ChainUnaryInterceptor(func(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
			if err := check(ctx, info.FullMethod); err != nil {
				return nil, err
			}
			return h(ctx, req)
		}),
		grpc.ChainStreamInterceptor(func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, h grpc.StreamHandler) error {
			if err := check(ss.Context(), info.FullMethod); err != nil {
				return err
			}
			return h(srv, ss)
		}),
	}
}

// first is md's first value of name, bounded: it goes to a log.
func first(md metadata.MD, name string) string {
	v := md.Get(name)
	if len(v) == 0 {
		return ""
	}
	if len(v[0]) > 100 {
		return v[0][:100]
	}
	return v[0]
}
