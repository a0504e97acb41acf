// Package transcode benchmarks StreamHive's transcoder ladder
// (media/transcode.Run) on pre-encoded sources: how many times faster than
// real time one stream's ladder runs on this machine, which is how many
// such streams one core set can carry. Results go to bench/RESULTS.md.
package transcode
