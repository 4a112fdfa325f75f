//go:build race

package eml

// raceEnabled relaxes time limits: the race detector slows code tenfold.
const raceEnabled = true
