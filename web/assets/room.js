// cattease overlay: the room's shared play, drawn from engine status: the vote window's tally
// with its time left, the policy meter with its enter and leave marks, the queue with each
// viewer's position and ETA (gift-bought places marked), and the 包场 banner. Defines CT.room.
"use strict";
(function () {
  const { t, clock, el, command } = window.CT;
  const $ = (id) => document.getElementById(id);
  let tallyKey = "", waitKey = "";

  const optText = (o) => command(o.rule) + (o.repeat > 1 ? " ×" + o.repeat : "");

  // drawTally: one bar per option, most votes first, as long as its share of the leader's votes.
  function drawTally(f) {
    const v = f.engine.policy === "vote" ? f.engine.vote : null;
    $("vote").hidden = !v;
    if (!v) { tallyKey = ""; return; }
    const idle = CT.voteIdle(v); // no window open: say how to start one, no time, no count
    $("vote").classList.toggle("idle", idle);
    const opts = (v.tally || []).slice(0, 6);
    const key = JSON.stringify(opts) + CT.lang;
    $("vote-voters").textContent = idle ? "" : (v.voters || 0) + " " + t("voters");
    if (key === tallyKey) return;
    tallyKey = key;
    const top = Math.max(1, ...opts.map((o) => o.votes || 0));
    const ol = $("tally");
    ol.replaceChildren();
    opts.forEach((o, i) => {
      const li = el("li", "opt" + (i === 0 && o.votes > 0 ? " lead" : ""));
      li.dataset.rule = o.rule;
      const bar = el("span", "bar"), fill = el("i");
      fill.style.width = ((100 * (o.votes || 0)) / top).toFixed(1) + "%";
      bar.appendChild(fill);
      li.append(el("span", "name", optText(o)), bar, el("span", "n", o.votes || 0));
      ol.appendChild(li);
    });
  }

  // drawVoteLeft counts the vote window down on our clock: ends_in_ns is relative to the frame.
  // With no window open it says how to open one.
  function drawVoteLeft(f, now, online) {
    const v = f.engine.policy === "vote" ? f.engine.vote : null;
    if (!v) return;
    const left = f.recv + v.ends_in_ns / 1e6 - now;
    $("vote-left").textContent = !online ? "" : CT.voteIdle(v) ? t("voteIdle") : t("left_") + " " + clock(Math.max(0, left));
  }

  // drawMeter: the share of recent policy votes for the vote policy, with the share that
  // starts it (enter, green) and the one at or below which it ends (leave, red); shown once
  // chat has voted on the policy, or while the vote policy runs.
  function drawMeter(f) {
    const m = f.engine.meter;
    const show = !!m && (m.votes > 0 || m.forced || f.engine.policy === "vote"); // no votes, nothing to say
    $("meter").hidden = !show;
    if (!show) return;
    const pct = (x) => Math.round(100 * Math.min(1, Math.max(0, Number(x) || 0)));
    $("meter-fill").style.width = pct(m.share) + "%";
    $("meter-enter").style.left = pct(m.enter) + "%";
    $("meter-leave").style.left = pct(m.leave) + "%";
    $("meter-enter").hidden = !(m.enter > 0);
    $("meter-leave").hidden = !(m.leave > 0);
    $("meter-share").textContent = m.forced ? t("meterForced") : pct(m.share) + "%";
    $("meter").title = pct(m.share) + "% · " + (m.votes || 0) + " " + t("votes") + " · " +
      t("meterNeed") + " ≥" + pct(m.enter) + "%, ≥" + (m.min_votes || 0) + " " + t("votes");
    $("meter").classList.toggle("on", f.engine.policy === "vote");
    $("meter").classList.toggle("forced", !!m.forced);
  }

  // drawWaiting: who is waiting, in the order they will run, with the estimated wait.
  function drawWaiting(f) {
    const list = (f.engine.waiting || []).slice(0, 10);
    const key = JSON.stringify(list) + CT.lang;
    if (key === waitKey) return;
    waitKey = key;
    const ol = $("waiting");
    ol.replaceChildren();
    for (const w of list) {
      const li = el("li", "item" + (w.priority ? " prio" : ""));
      li.dataset.position = String(w.position);
      const who = el("span", "user", w.user_name || "?");
      const eta = w.eta_ns > 0 ? t("eta") + " " + clock(w.eta_ns / 1e6) : "";
      li.append(el("span", "pos", "#" + w.position), who, el("span", "cmd", optText(w)), el("span", "eta", eta));
      if (w.priority) li.title = t("prio");
      ol.appendChild(li);
    }
  }

  // drawExclusive: the 包场 banner, who holds it and for how long.
  function drawExclusive(f, now, online) {
    const x = f.engine.exclusive, box = $("exclusive");
    const left = x && x.until ? Date.parse(x.until) - f.offset - now : 0;
    if (!x || !online || left <= 0) { box.hidden = true; return; }
    const parts = [t("exclusiveBy") + t("colon"), el("span", "user", x.user_name || "?"), " · " + t("left_") + " " + clock(left)];
    if (x.pending > 0) parts.push(" · " + t("pendingN") + " " + x.pending);
    box.replaceChildren(...parts);
    box.dataset.by = x.by || "";
    box.hidden = false;
  }

  window.CT.room = { drawTally, drawVoteLeft, drawMeter, drawWaiting, drawExclusive };
})();
