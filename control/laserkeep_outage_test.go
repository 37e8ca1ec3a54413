package control

import (
	"path/filepath"
	"testing"
)

// A moderator's 关激光 while a remote rig's link is down (its broker
// restarting, the Pi away): the rig holds the forbid on the run side and
// sends it again until its agent takes it, so 关激光 is done, noted as
// chat's and kept, not answered unknown_output as if nothing happened.
func TestChatForbidWhileTheLinkIsDownIsDone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "laser-off.json")
	r, rig := startSided(t, path)
	rig.down = true
	if d := r.say("关激光"); d.Outcome != Accepted || d.Reason != ReasonModeration {
		t.Fatalf("关激光 with the link down: %s %s, want accepted (moderation)", d.Outcome, d.Reason)
	}
	r.wantDisabled("laser,spot") // the rules' two lasers
	wantFile(t, path, `{"chat":["laser","spot"]}`)
}
