// Package supervision holds StreamHive's supervisor strategies and the pure
// policies behind them: restart backoff with jitter, permanent failures,
// and the failover policy that picks which of a stream's inputs feeds its
// hub (Failover).
//
// Leaf actors (inputs, pushes) never retry: they fail, and their parent's
// strategy from this package decides whether to restart them, after which
// delay, or to stop them. Policies are plain values with table tests; the
// strategies adapt them to protoactor's actor.SupervisorStrategy.
//
// This package imports protoactor and media only: never actors, protocols
// or gateway.
package supervision
