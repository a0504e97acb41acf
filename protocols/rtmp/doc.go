// Package rtmp adapts RTMP to StreamHive's media model: a publishing server
// (encoders push to rtmp://HOST:PORT/live/NAME, rtmp://HOST:PORT/NAME and
// Flussonic's other forms, which StreamNames maps to stream names) that
// also serves players (rtmp://HOST/static/NAME: a Player's hub frames,
// sent as a push sends them), a pull client for rtmp:// inputs, and the pure FLV tag parsers both share.
//
// It is the only package that imports github.com/yutopp/go-rtmp. It imports
// media and nothing else of ours: the rest of the server reaches it through
// Hooks, which the listener actor implements.
package rtmp
