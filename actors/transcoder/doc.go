// Package transcoder runs a stream's transcoder as actors: one transcoder
// actor per stream, the supervisor of one session actor that runs the
// ladder (media/transcode) on its own goroutine — on the CPU, or on one
// NVENC GPU session. A session that fails (its GPU session crashed, its
// hardware encoder cannot be opened, a corrupt source broke a codec) hands
// the error to the transcoder actor, which records it in the stream's
// transcoder stats and restarts the session with backoff. A failing
// transcoder never stops its stream or the server.
//
// The stream owns the two hubs the session connects: it reads the inputs'
// hub (Config.Source) as one more consumer and writes the renditions to
// the stream's hub (Config.Output), where the packager, the DVR and the
// pushes read them. Frames never pass through a mailbox.
package transcoder
