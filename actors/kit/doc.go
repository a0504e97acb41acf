// Package kit is the small toolkit every StreamHive actor package uses, and
// the one place that configures protoactor: Ask (asking from the edges of the
// actor system with the caller's deadline), Fail (handing an expected error to
// the supervisor without a panic), Key (a canonical map key for a PID) and
// NewSystem (an actor system that logs through log/slog).
package kit
