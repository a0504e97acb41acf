// Package tshttp implements tshttp:// and tshttps:// inputs: an HTTP GET
// whose response body is a continuous MPEG-TS stream (another origin's
// /NAME/mpegts, an encoder's HTTP output, an IPTV proxy), demuxed by
// protocols/mpegts. tshttp://HOST/PATH is fetched as http://HOST/PATH,
// tshttps:// as https://; plain http:// and https:// URLs are taken as
// HTTP-TS too.
//
// Options: program and pids (mpegts.ParseOptions), user_agent.
//
// It imports media and protocols/mpegts.
package tshttp
