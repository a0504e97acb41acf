// Package vodstore holds the storages a VOD location reads from, each a
// media/vod.Storage: a folder on disk (Disk), and an HTTP(S) server read
// by range requests (HTTP) with an optional bounded disk cache of the
// blocks it has read (Cache). Every path a caller gives is checked
// before any file system or network call: `..` elements, absolute paths,
// NUL bytes and, on disk, symlinks that lead out of the root are refused
// with vod.ErrBadPath.
package vodstore
