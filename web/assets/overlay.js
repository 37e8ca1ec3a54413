// cattease overlay: draws each state frame from /api/events. Frames come at
// most 10 times a second; the dot glides between them with a CSS
// transition (but is put straight at its place on the first frame), and
// countdowns tick locally four times a second while the server is there.
// Without the server (no frame for 3 s, or the stream broke) the rig turns
// grey, says 离线 / offline, and nothing counts down.
"use strict";
(function () {
  const { t, clock, dur, el, reason, command, platform } = window.CT;
  const $ = (id) => document.getElementById(id);
  const M = 4, W = 92; // the map's inner box in SVG units
  let last = null;      // the latest frame
  let feedKey = "";     // what the feed shows, to skip needless redraws
  let zonesKey = "";
  let online = false;
  let ticker = 0;       // the countdowns' interval, while online

  // URL options: corner, preview, parts (map,feed,queue,session), compact, scale.
  const corner = CT.params.get("corner") || "br";
  document.body.classList.add("corner-" + corner.replace(/[^a-z]/g, "").slice(0, 2));
  if (CT.params.get("preview") === "1") document.body.classList.add("preview");
  const on1 = (v) => v === "1" || v === "true" || v === "yes";
  if (on1(CT.params.get("compact"))) document.body.classList.add("compact");
  const scale = parseFloat(CT.params.get("scale"));
  if (scale >= 0.5 && scale <= 3) document.documentElement.style.setProperty("--scale", String(scale));
  const PARTS = ["map", "feed", "queue", "session"];
  const asked = (CT.params.get("parts") || "").toLowerCase().split(/[\s,+]+/).filter((p) => PARTS.includes(p));
  const shown = asked.length ? asked : PARTS;
  for (const p of PARTS) document.body.classList.toggle("no-" + p, !shown.includes(p));
  document.body.classList.toggle("no-side", !shown.some((p) => p !== "map"));
  document.body.dataset.parts = shown.join(",");

  // axes picks the pan and tilt axes: the rig's geometry, else by name,
  // else the first two.
  function axes(rig) {
    const list = rig.axes || [];
    const find = (name) => list.find((a) => a.name === name);
    const pan = find(rig.pan_axis) || find("pan") || list[0];
    let tilt = find(rig.tilt_axis) || find("tilt") || list.find((a) => a !== pan);
    if (tilt === pan) tilt = undefined;
    return { pan, tilt };
  }
  const xOf = (a, v) => M + (W * (v - a.min)) / (a.max - a.min);
  const yOf = (a, v) => (a ? M + (W * (a.max - v)) / (a.max - a.min) : 50); // far is up

  function drawMap(f) {
    const wand = CT.isWand(f.rig);
    CT.setWand(wand);
    document.body.classList.toggle("wand", wand);
    if (wand) { drawWandMap(f); return; }
    const { pan, tilt } = axes(f.rig);
    const dot = $("dot");
    if (!pan) { dot.style.display = "none"; return; }
    dot.style.display = "";
    const x = xOf(pan, pan.pos), y = yOf(tilt, tilt ? tilt.pos : 0);
    const first = dot.dataset.placed !== "1";
    if (first) dot.style.transition = "none"; // the first frame puts it there: no glide from the corner
    dot.style.transform = "translate(" + x.toFixed(2) + "px," + y.toFixed(2) + "px)";
    if (first) {
      dot.getBoundingClientRect(); // commit the place before transitions come back
      dot.style.transition = "";
      dot.dataset.placed = "1";
    }
    // A servo not homed is not where its angle says (limp where it was
    // left, or still on its way home): no dot rather than one at home.
    dot.classList.toggle("unhomed", pan.homed === false || (tilt !== undefined && tilt.homed === false));
    dot.dataset.pan = pan.pos.toFixed(2);
    dot.dataset.tilt = tilt ? tilt.pos.toFixed(2) : "";
    fadeEdges(x, y);
    drawLaser(f, Date.now());
    const tg = $("target");
    tg.setAttribute("cx", xOf(pan, pan.target).toFixed(2));
    tg.setAttribute("cy", yOf(tilt, tilt ? tilt.target : 0).toFixed(2));
    const hm = $("home");
    hm.setAttribute("cx", xOf(pan, pan.home).toFixed(2));
    hm.setAttribute("cy", yOf(tilt, tilt ? tilt.home : 0).toFixed(2));
    drawCeiling(f.rig, tilt);
    drawZones(f.rig, pan, tilt);
  }

  // fadeEdges fades the map's edge words (远, 近, 左, 右) the dot is on or next to: parked, it
  // often sits by 近 and would hide under it, or hide it.
  function fadeEdges(x, y) {
    for (const e of document.querySelectorAll("#map .edge.laser-only")) {
      let b;
      try { b = e.getBBox(); } catch (err) { continue; } // not drawn (compact)
      const dx = Math.max(b.x - x, 0, x - b.x - b.width), dy = Math.max(b.y - y, 0, y - b.y - b.height);
      e.classList.toggle("under-dot", b.width > 0 && Math.hypot(dx, dy) < 4);
    }
  }

  // drawWandMap draws a feather wand instead of the floor map's dot: the pivot, the stick, the
  // feather and its sweep range, and says where the feather is in words.
  function drawWandMap(f) {
    CT.drawWand($("wand"), f.rig);
    $("map").setAttribute("aria-label", CT.t("wand"));
    const label = $("laser-state");
    label.textContent = online ? CT.wandText(f.rig) : "";
    label.className = "laser-state wand-state";
    label.dataset.reason = "";
  }

  // drawLaser shows the emitted state: a glowing dot when the driver has
  // the laser on; a dark, hollow dot and the reason in words when play asks
  // for it but the envelope holds it dark (dwell, max_on, keep-out...).
  function drawLaser(f, now) {
    const dot = $("dot"), label = $("laser-state");
    const l = CT.laser(f, now);
    const on = !!(l && l.on) && online, blanked = !!(l && l.blanked) && online;
    dot.dataset.on = on ? "1" : "0";
    dot.dataset.blanked = blanked ? "1" : "0";
    dot.classList.toggle("on", on);
    dot.classList.toggle("blanked", blanked);
    if (!online) { label.textContent = ""; return; }
    label.textContent = CT.laserText(l);
    label.dataset.reason = (l && l.reason) || "";
    label.className = "laser-state" + (on ? " on" : blanked ? " blanked" : "");
  }

  function drawCeiling(rig, tilt) {
    const c = $("ceiling");
    if (!tilt || !rig.ceiling || rig.ceiling >= tilt.max) { c.setAttribute("height", "0"); return; }
    c.setAttribute("height", Math.max(0, yOf(tilt, rig.ceiling) - M).toFixed(2));
  }

  function drawZones(rig, pan, tilt) {
    const zones = rig.zones || [];
    const key = JSON.stringify(zones) + pan.min + pan.max + (tilt ? tilt.min + "," + tilt.max : "");
    if (key === zonesKey) return;
    zonesKey = key;
    const g = $("zones");
    g.replaceChildren();
    const clampX = (v) => Math.min(M + W, Math.max(M, v));
    for (const z of zones) {
      const r = document.createElementNS("http://www.w3.org/2000/svg", "rect");
      const x0 = clampX(xOf(pan, z.pan_min)), x1 = clampX(xOf(pan, z.pan_max));
      const y0 = tilt ? clampX(yOf(tilt, z.tilt_max)) : M, y1 = tilt ? clampX(yOf(tilt, z.tilt_min)) : M + W;
      r.setAttribute("x", x0.toFixed(2)); r.setAttribute("width", Math.max(0, x1 - x0).toFixed(2));
      r.setAttribute("y", y0.toFixed(2)); r.setAttribute("height", Math.max(0, y1 - y0).toFixed(2));
      r.setAttribute("class", "zone");
      const title = document.createElementNS("http://www.w3.org/2000/svg", "title");
      title.textContent = z.name;
      r.appendChild(title);
      g.appendChild(r);
    }
  }

  function drawStatus(f) {
    const e = f.engine || {};
    $("policy").textContent = t("policy_" + (e.policy || "queue"));
    $("queue").textContent = t("queue") + " " + (e.queue_len || 0) + "/" + (e.queue_cap || 0);
    $("paused").hidden = !e.paused;
    $("paused").textContent = t("paused");
    const stopped = !!(e.stopped || f.rig.stopped);
    $("stopped").hidden = !stopped;
    $("stopped").textContent = t("stopped");
    document.body.classList.toggle("is-stopped", stopped);
  }

  function userSpan(d) {
    const s = el("span", "user" + (d.masked ? " masked" : ""), d.user_name || "?");
    if (d.masked) s.title = "masked";
    return s;
  }

  // isolate wraps a name typed by someone else in the isolate marks FSI…PDI: whatever direction
  // marks it holds end with it, inside the text they are part of.
  const isolate = (s) => "\u2068" + s + "\u2069";

  // whoSpan names who made a decision: a viewer's name, or for the room's own (a vote's result,
  // a policy switch, the streamer's panel) the label of its platform: 投票, 主播.
  function whoSpan(d) {
    return CT.byRoom(d) ? el("span", "user by-room", platform(d.platform)) : userSpan(d);
  }

  // cmdText says what a decision was about: a combo's parts, a moderation's target, the
  // policy switched to (alone: the rule that switched it is no news), else the command and
  // its repeat.
  function cmdText(d) {
    if (d.combo) return CT.combo(d.combo);
    if (d.reason === "policy" && d.policy) return t("policy_" + d.policy);
    let s = d.rule ? command(d.rule) + (d.repeat > 1 ? " ×" + d.repeat : "") : "";
    if (d.target) s = (s ? s + " → " : "") + isolate(d.target);
    if (d.grant) s = giftName(d.grant);
    return s;
  }

  const done = { ran: 1, clamped: 1, immediate: 1, max_on: 1 };
  // eventKey names a decision's chat event: the server's key (its own for an event without an ID,
  // such as a Douyu gift), else, from an older server, the platform and the event's ID.
  const eventKey = (d) => d.key || d.platform + "\u0000" + d.event_id;

  function drawFeed(f) {
    const feed = f.feed || [];
    const key = feed.map((d) => eventKey(d) + "\u0000" + d.reason).join("|");
    if (key !== feedKey) {
      feedKey = key;
      const ol = $("feed");
      ol.replaceChildren();
      for (const d of feed) {
        const li = el("li", "item " + d.decision + " r-" + d.reason);
        li.append(el("span", "plat p-" + d.platform, platform(d.platform)));
        if (!CT.byRoom(d)) li.append(userSpan(d)); // the platform's label says who: 投票, 主播
        li.append(el("span", "cmd", cmdText(d)), el("span", "why", reason(d.reason)));
        ol.appendChild(li);
      }
    }
    const lastDone = feed.find((d) => d.decision === "accepted" && done[d.reason]) || feed[0];
    $("last-user").replaceChildren(lastDone ? whoSpan(lastDone) : el("span", "nobody", t("nobody")));
    $("last-cmd").textContent = !lastDone ? "" : CT.byRoom(lastDone) ? cmdText(lastDone) :
      cmdText(lastDone) + " · " + platform(lastDone.platform);
  }

  // tick redraws what counts down: cooldowns, the session, the laser's
  // pause, feedback. Offline, nothing counts down: the countdowns go and
  // the session shows its phase only.
  function tick() {
    if (!last) return;
    const now = Date.now();
    drawCooldowns(last, now);
    drawSession(last, now);
    drawFeedback(last, now);
    CT.room.drawExclusive(last, now, online);
    CT.room.drawVoteLeft(last, now, online);
    drawGift(now);
    drawChatLost(last, now);
    if (online && !CT.isWand(last.rig)) drawLaser(last, now);
  }

  function drawCooldowns(f, now) {
    const box = $("cooldowns");
    box.replaceChildren();
    const cds = (online && f.engine && f.engine.cooldowns_ns) || {};
    for (const name of Object.keys(cds).sort()) {
      const left = cds[name] / 1e6 - (now - f.recv);
      if (left <= 0) continue;
      box.appendChild(el("span", "chip cd", command(name) + " " + clock(left)));
    }
  }

  // drawSession: the phase and its time left, autoplay, the day's laser; each its own span
  // (.phase, .autoplay, .budget) for Custom CSS, and compact leaves the budget out.
  function drawSession(f, now) {
    const s = f.rig.session || {};
    const box = $("session");
    const parts = [];
    if (s.phase === "rest" || s.phase === "quiet" || (s.phase === "play" && s.until)) {
      let txt = t("phase_" + s.phase);
      if (s.until && online) txt += " " + clock(Date.parse(s.until) - f.offset - now);
      parts.push(["phase", txt]);
    }
    if (s.autoplay) parts.push(["autoplay", t("autoplay")]);
    if (s.laser_budget_ns > 0) parts.push(["budget", t("budget") + " " + dur(s.laser_today_ns / 1e6) + t("of") + dur(s.laser_budget_ns / 1e6)]);
    box.hidden = parts.length === 0;
    box.replaceChildren(...parts.map(([cls, txt], i) => el("span", cls, (i ? " · " : "") + txt)));
    box.className = "session phase-" + (s.phase || "off");
  }

  function drawFeedback(f, now) {
    const box = $("feedback");
    box.replaceChildren();
    for (const r of online ? (f.feedback || []).slice(0, 3) : []) {
      const age = now - (Date.parse(r.last) - f.offset);
      if (age > 5000) continue;
      let txt = reason(r.reason);
      if (r.rule) txt = command(r.rule) + " " + txt;
      if (r.until) {
        const left = Date.parse(r.until) - f.offset - now;
        if (left > 0) txt += " " + clock(left);
      }
      if (r.count > 1) txt += " ×" + r.count;
      const line = el("div", "fb r-" + r.reason, txt);
      line.style.opacity = String(Math.max(0.25, 1 - age / 5000));
      box.appendChild(line);
    }
  }

  // The newest gift's thanks: from this frame's decisions or the feed, shown for GIFT_SHOW from
  // when it came, a thank-you, not a record of what is left of the credit it bought (that can
  // last an hour, and is used up meanwhile). After a reconnect, a server whose feed and
  // decisions no longer hold it (cattease restarted) takes it down.
  const GIFT_SHOW = 12000;
  let gift = null, recheckGift = false;
  function noteGift(f) {
    const all = [...(f.decisions || [])].reverse().concat(f.feed || []);
    if (recheckGift && gift && !all.some((d) => eventKey(d) === gift.key)) gift = null;
    recheckGift = false;
    const g = all.find((d) => d.reason === "gift" && d.grant);
    if (!g) return;
    const at = Date.parse(g.time) - f.offset;
    if (gift && gift.key === eventKey(g)) return;
    if (Date.now() - at > GIFT_SHOW) return;
    gift = { key: eventKey(g), d: g, at };
  }
  function giftName(g) { return g.gift + (g.count > 1 ? " ×" + g.count : ""); }
  function drawGift(now) {
    const box = $("gift");
    if (!gift || !online || now > gift.at + GIFT_SHOW) { box.hidden = true; return; }
    const d = gift.d, g = d.grant, what = [];
    if (g.priority > 0) what.push(t("giftPriority") + " " + g.priority + t("times"));
    if (g.extra > 0) what.push(t("giftExtra") + " " + g.extra + t("times"));
    if (g.exclusive_ns > 0) what.push(t("giftExclusive") + " " + CT.dur(g.exclusive_ns / 1e6));
    if (g.pattern) what.push(t("giftPattern") + " " + command(g.pattern));
    const thanks = el("span", "thanks");
    thanks.append(t("giftThanks") + " ", userSpan(d), " " + t("giftBought") + " " + giftName(g) + "!");
    box.replaceChildren(thanks, el("span", "what", what.join(" · ")));
    box.hidden = false;
  }

  // drawChatLost says, while a chat source (not the streamer's console) has been reconnecting
  // or ended for CHAT_LOST ms, why viewers' commands do nothing: "弹幕连接中断，正在重连…", or,
  // while other platforms' chat still arrives, which one: "斗鱼弹幕连接中断，正在重连…". A blip
  // shorter than that shows nothing; all well, nothing; offline, the map says 离线 instead.
  const CHAT_LOST = 10000;
  function drawChatLost(f, now) {
    const box = $("chat-lost");
    const chat = (Array.isArray(f.sources) ? f.sources : []).filter((s) => s && s.platform !== "console");
    const serverNow = now + (f.offset || 0);
    const down = chat.filter((s) => (s.state === "reconnecting" || s.state === "ended") &&
      serverNow - Date.parse(s.since) > CHAT_LOST);
    if (!online || down.length === 0) {
      box.hidden = true;
      box.dataset.state = "";
      return;
    }
    const retrying = down.some((s) => s.state === "reconnecting");
    const name = (s) => platform(s.platform === "bilibili-open" ? "bilibili" : String(s.platform)); // viewers know B站
    const names = [...new Set(down.map(name))];
    const all = down.length === chat.length;
    const text = all ? t(retrying ? "chatLost" : "chatEnded") :
      CT.fill(t(retrying ? "chatLostOn" : "chatEndedOn"), names.join(t("listSep")));
    if (box.textContent !== text) box.textContent = text;
    box.dataset.state = retrying ? "reconnecting" : "ended";
    box.hidden = false;
  }

  function onFrame(f) {
    last = f;
    f.rig = f.rig || {};
    f.engine = f.engine || {};
    CT.setLabels(f.labels);
    noteGift(f);
    drawMap(f);
    drawStatus(f);
    drawFeed(f);
    CT.room.drawTally(f);
    CT.room.drawMeter(f);
    CT.room.drawWaiting(f);
    tick();
    document.body.dataset.seq = String(f.seq || 0);
  }

  // onConn: "online" when frames come, "offline" when they stopped.
  function onConn(state) {
    if (state === "online" && !online) recheckGift = true; // back: the server may be a new one
    online = state === "online";
    document.body.dataset.conn = state;
    document.body.dataset.connected = online ? "1" : "0";
    $("conn").textContent = online ? "" : t(state);
    if (online && !ticker) ticker = setInterval(tick, 250);
    if (!online && ticker) { clearInterval(ticker); ticker = 0; }
    document.body.dataset.ticking = ticker ? "1" : "0";
    if (last) { // grey now, countdowns gone
      if (CT.isWand(last.rig)) drawWandMap(last); else drawLaser(last, Date.now());
      tick();
    }
  }

  window.addEventListener("DOMContentLoaded", () => {
    onConn("connecting");
    CT.stream(onFrame, onConn);
  });
})();
