package control

import (
	"reflect"
	"time"

	"github.com/cattease/cattease/control/room"
)

// directorySize bounds the viewers remembered by name for moderators.
const directorySize = 4096

// roomState is the engine's room: mutes, 包场, blocklists, the gift ledger,
// the vote window and the policy meter. The engine's mutex guards it.
type roomState struct {
	dir      *room.Directory
	mutes    *room.Mutes
	excl     room.Exclusive
	block    *room.Blocklist
	gifts    *room.Gifts
	giftsCfg room.GiftConfig // as compiled, to tell a changed lane on reload
	window   room.Window
	meter    *room.Meter // nil when no command votes on the policy
	// options maps a vote option to what it runs, for the open window.
	options map[room.Option]ballot
	base    string // the policy the meter returns to from vote
	forced  bool   // a moderator or the panel chose the policy
}

// ballot is what a vote option runs.
type ballot struct {
	rule   string
	repeat int
	combo  string
	steps  []step
	cmds   []int // the commands it runs, for their cooldowns
}

// reindexBallots carries the open window's ballots from the rules old to
// r: each keeps the steps it was cast for, and the commands whose
// cooldowns it is charged, found by name where r has moved them; one r no
// longer has has no cooldown left to charge.
func (rs *roomState) reindexBallots(old, r *Rules) {
	if len(rs.options) == 0 {
		return
	}
	at := make(map[string]int, len(r.commands))
	for i := range r.commands {
		at[r.commands[i].name] = i
	}
	for o, b := range rs.options {
		cmds := make([]int, 0, len(b.cmds))
		for _, i := range b.cmds {
			if j, ok := at[old.commands[i].name]; ok {
				cmds = append(cmds, j)
			}
		}
		b.cmds = cmds
		rs.options[o] = b
	}
}

// init takes the rules r at now: at New (now zero) and at every reload.
func (rs *roomState) init(now time.Time, r *Rules) {
	rr := &r.room
	if rs.dir == nil {
		rs.dir = room.NewDirectory(directorySize)
		rs.mutes = room.NewMutes(rr.mod.MaxTimeouts)
		rs.options = map[room.Option]ballot{}
	} else {
		rs.mutes.Resize(now, rr.mod.MaxTimeouts)
	}
	rs.block = room.NewBlocklist(rr.mod.BlockUsers, rr.mod.BlockWords)
	switch {
	case rs.gifts == nil:
		rs.gifts = room.NewGifts(rr.gifts)
	case !reflect.DeepEqual(rs.giftsCfg, rr.gifts):
		rs.gifts.Reconfigure(now, rr.gifts) // the credits are kept, the day's caps start afresh
	}
	rs.giftsCfg = rr.gifts
	rs.window.Length, rs.window.MaxVoters = rr.vote.Window.D(), rr.vote.MaxVoters
	switch {
	case !rr.useMeter:
		rs.meter = nil
	case rs.meter == nil || rs.meter.Config() != rr.meter:
		rs.meter = room.NewMeter(rr.meter)
	}
	if r.policy != PolicyVote {
		rs.base = r.policy
	} else if rs.base == "" {
		rs.base = PolicyQueue
	}
}
