package web

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cattease/cattease/control"
)

// TestBrowserVoteIdle: the vote policy with no vote open (the engine
// says ends_in_ns 0, no voters, no tally) asks for a command, with no time
// and no count, on the overlay and in the panel; an open vote counts down.
func TestBrowserVoteIdle(t *testing.T) {
	ctx := browser(t)
	_, eng, _, ts := browserServer(t)
	st := eng.Status(time.Now())
	st.Policy, st.Vote = control.PolicyVote, &control.VoteStatus{Window: 20 * time.Second, Tally: []control.VoteCount{}}
	eng.setStatus(st)
	viewport(t, ctx, 1280, 720, false)
	open(t, ctx, ts.URL+"/overlay?preview=1")
	const said = `document.getElementById("vote").innerText.trim()`
	until(t, ctx, "the idle vote", `!document.getElementById("vote").hidden && `+said+` === "发指令开始投票"`)
	open(t, ctx, ts.URL+"/overlay?preview=1&lang=en")
	until(t, ctx, "the idle vote in English", said+` === "send a command to vote"`)

	viewport(t, ctx, 412, 1400, true)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/panel?lang=zh#token="+testToken)); err != nil {
		t.Fatal(err)
	}
	const chip = `[...document.querySelectorAll("#state span")].map((e) => e.textContent).filter((s) => /投票/.test(s)).join(" | ")`
	until(t, ctx, "the panel's idle vote", chip+` === "投票模式 · 队列 2/16 | 发指令开始投票"`)
	st.Vote = &control.VoteStatus{Window: 20 * time.Second, EndsIn: 15 * time.Second, Voters: 1,
		Tally: []control.VoteCount{{Rule: "left", Repeat: 1, Votes: 1}}}
	eng.setStatus(st)
	until(t, ctx, "the panel's open vote", chip+` === "投票模式 · 队列 2/16 | 投票中 15秒 · ← 左 1"`)
}
