package control

import (
	"testing"

	"github.com/cattease/cattease/danmu"
)

// TestModeratorCannotMuteAModeratorByUID: named by uid as by name, a
// moderator or the owner seen lately cannot be muted or handed 包场's
// refusal by a moderator (permission); the owner can act on a moderator.
func TestModeratorCannotMuteAModeratorByUID(t *testing.T) {
	h := newHarness(t, roomYAML)
	h.say("5", "左", mod)
	h.say("9", "左", func(u *danmu.User) { u.Role = danmu.RoleOwner })
	want(t, h.say("1", "禁言 5", mod), Dropped, ReasonPermission)
	want(t, h.say("1", "禁言 ５", mod), Dropped, ReasonPermission)
	want(t, h.say("1", "禁言 9", mod), Dropped, ReasonPermission)
	want(t, h.say("1", "包场 5", mod), Dropped, ReasonPermission)
	want(t, h.say("9", "禁言 5", func(u *danmu.User) { u.Role = danmu.RoleOwner }), Accepted, ReasonModeration)
}
