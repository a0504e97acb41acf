// Package web is the embed player: the page Flussonic serves at
// /NAME/embed.html and the scripts it loads, compiled into the binary
// (go:embed) so that a page plays with no network but the server's.
//
// The page is chosen and filled in here, on the server: Parse reads the
// page's query options (Flussonic's: proto, realtime, autoplay, mute,
// volume, play_duration, and from, to and ago, which open the archive's
// URLs), Choose picks the player the stream's
// `protocols` directive allows, and Page renders the HTML with the
// playlist, manifest, WHEP or MSE-LD URL the player opens, each carrying
// the viewer's own query (a token) so that a protected stream admits it.
// The page itself shows no media and is no viewer session: the requests
// its player makes are.
//
// Assets are served under AssetPrefix; their URLs carry a content hash,
// so a browser keeps them for a year and an upgrade changes the URL:
//
//	hls.min.js, dash.mediaplayer.min.js   from their npm packages (make player-assets)
//	embed.js                              our player glue and WHEP client
//	mseld-player.js                       our MSE-LD client (window.StreamHiveMSELD)
package web
