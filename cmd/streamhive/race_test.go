//go:build race

package main

// raceBuild says the tests run under the race detector: the server binary
// they start is then built with it too.
const raceBuild = true
