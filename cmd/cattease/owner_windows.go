package main

import "os"

// ownFile: halt, the only one to ask, does not run on Windows; taken as
// another user's, the file is trusted the least.
func ownFile(*os.File) bool { return false }
