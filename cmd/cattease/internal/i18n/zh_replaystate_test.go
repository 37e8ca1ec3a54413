package i18n

import (
	"strings"
	"testing"
)

// replay --state's lines on stderr, as printed, read in Chinese, the
// path they name kept as written.
func TestReplayStateMessagesTranslate(t *testing.T) {
	const path = "/home/pi/.local/state/cattease/cattease-state.json"
	for _, msg := range []string{
		"cattease: --state: the replay starts from a copy of the laser account " + path,
		"cattease: --state: warning: " + path + " does not exist: the replay starts from an empty laser account",
		"cattease: --state: to start from the service's account, run: sudo -u cattease env STATE_DIRECTORY=/var/lib/cattease cattease replay --state …",
	} {
		got := For(Chinese).Translate(msg)
		if got == msg || !strings.HasPrefix(got, "cattease: --state: ") || strings.Contains(got, "replay starts") || strings.Contains(got, "to start from") {
			t.Errorf("%q\n\tread %q", msg, got)
		}
		if strings.Contains(msg, path) && !strings.Contains(got, path) {
			t.Errorf("%q lost the path: %q", msg, got)
		}
	}
}
