// Package m4f implements m4f:// and m4fs:// inputs: a node of a
// StreamHive cluster pulls a stream once from the node that captures it
// (its owner) and serves it to its own viewers, the role Flussonic's M4F
// plays between its servers.
//
// As Flussonic documents it, the URL is m4f://HOST:PORT/NAME and PORT is
// the owner's HTTP port (80 when left out); m4fs:// is the same over
// HTTPS (443 when left out), a form of ours. The pull is an HTTP GET of
// media/m4f.Path+NAME carrying the cluster key's proof in a header (the
// key itself never travels); the response body is media/m4f's records,
// read with their bounds, published through the input's sink with the
// owner's timestamps unchanged. A refused key (403), a stream the owner
// does not run (404), a malformed record or the end of the body fail the
// pull with an error that says which; the input's supervisor restarts it.
//
// Our records are not Flussonic's fMP4 M4F: a StreamHive node pulls from
// StreamHive nodes only.
//
// It imports media and media/m4f.
package m4f
