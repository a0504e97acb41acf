package keys

// The key actor takes no messages from other actors: it answers through
// its Handle (read lock-free by the gateway) and sends only these to
// itself.

// tick asks for a refresh of the current and next periods' keys.
type tick struct{}

// refreshed is a refresh's outcome.
type refreshed struct{ err error }
