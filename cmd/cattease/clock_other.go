//go:build !linux

package main

// clockSynced: other systems keep their clocks right themselves.
func clockSynced() bool { return true }
