// Command streamhive runs a StreamHive origin server.
//
//	streamhive                       run the embedded default configuration
//	streamhive -config FILE          run FILE (Flussonic configuration language)
//	streamhive -t -config FILE       check FILE and exit; errors name file:line:column
//
// SIGHUP reloads the file; SIGTERM or SIGINT stops cleanly within 5 s, a
// second one stops at once.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
