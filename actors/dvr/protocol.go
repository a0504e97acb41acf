package dvr

// This file is the writer actor's whole protocol. It is started by its
// stream (stream.DVRStarter) and stopped with it; besides its lifecycle it
// answers one request.

// GetStats asks a writer for its counters. Replies *StatsReply.
type GetStats struct{}

// StatsReply answers GetStats.
type StatsReply struct {
	Written uint64 // segments written
	Skipped uint64 // segments not written: the writer fell behind, or a backup input fed them
	Errors  uint64 // segments whose write failed on every root
	Err     error
}
