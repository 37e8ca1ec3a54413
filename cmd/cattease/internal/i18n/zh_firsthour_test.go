package i18n

import "testing"

// The coverage test sees the messages of a first hour that it once
// missed: built by concatenation (the --record file's and the audit
// log's), or in a constant local to a function (check's advice for the
// laser account). A message it cannot see can ship untranslated.
func TestCoverageSeesFirstHourMessages(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range sourceMessages(t) {
		seen[m.format] = true
	}
	for _, want := range []string{
		"%s: write failed; keeping events in memory and retrying",
		"%s: writing again",
		"run with --dry-run, set STATE_DIRECTORY to a writable directory, or give safety.state_file an absolute path",
	} {
		if !seen[want] {
			t.Errorf("the coverage test does not see %q", want)
		}
	}
}
