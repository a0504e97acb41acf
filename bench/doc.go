// Package bench holds StreamHive's benchmarks and load generators. Nothing
// imports it. Figures, with the command that produced them, are recorded in
// RESULTS.md.
package bench
