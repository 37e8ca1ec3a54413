// cattease control panel. Every control is a POST to /api/control/...;
// the server checks the token (the login cookie) on each one. One language
// at a time (?lang=zh|en, else the browser's), 24-hour times, and one row
// per chat event in the log, showing its latest outcome.
"use strict";
(function () {
  const { t, clock, dur, hhmmss, el, reason, command, platform } = window.CT;
  const $ = (id) => document.getElementById(id);
  let lastAudit = "";
  let policyNow = "queue"; // the engine's policy, as the last frame said
  // rows: the log, one entry per event (platform + id), each with the time of its first decision;
  // drawn newest first. gone: the events of rows trimmed, which the next frame's engine.recent
  // must not bring back (bounded).
  const rows = new Map(), gone = new Set();
  const MAX_ROWS = 30, MAX_GONE = 4 * MAX_ROWS;
  let seen = 0; // rows made so far: orders rows of the same time as they came

  function say(text, bad) {
    const m = $("msg");
    m.textContent = text;
    m.classList.toggle("err", !!bad);
  }

  async function post(path, body) {
    const res = await fetch(path, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body || {}),
    });
    let data = {};
    try { data = await res.json(); } catch (e) { /* 204 */ }
    return { ok: res.ok, status: res.status, data };
  }

  // control runs an action and says how it went; it reports whether the server did it.
  async function control(action, body) {
    say("…");
    try {
      const r = await post("/api/control/" + action, body);
      if (r.status === 401) { setAuth(false); say(t("needToken"), true); return false; }
      const d = r.data.decision;
      if (r.ok && d && d.restart && d.restart.length) say(t(action) + t("colon") + t("ok") + "\n" + t("restartNeeded") + d.restart.join(", "), true);
      else if (r.ok && d && d.decision === "dropped") say(t(action) + t("colon") + reason(d.reason) + (d.target ? " (" + d.target + ")" : ""), true);
      else if (r.ok) say(t(action) + t("colon") + t("ok"));
      else if (r.data.reason) say(t(action) + t("colon") + reason(r.data.reason), true); // the rig refused it (409)
      else say(t(action) + t("colon") + t("failed") + " (" + r.status + ")" + (r.data.error ? "\n" + r.data.error : ""), true);
      if (r.ok && action === "reload") loadCommands(); // the rules' commands and labels may have changed
      return r.ok;
    } catch (e) {
      say(t("failed") + ": " + e, true);
      return false;
    }
  }

  function setAuth(ok) {
    const was = document.body.dataset.auth === "yes";
    document.body.dataset.auth = ok ? "yes" : "no";
    $("login").hidden = ok;
    $("logout").hidden = !ok;
    if (ok && !was) loadCommands();
  }

  // checkAuth asks the server whether this page is logged in, and shows the login box at once
  // when it is not: at load, at a #token= link, and, as a recheck, every minute and whenever the
  // stream comes back, so a login lost while the page stayed open (a new token file and a
  // restart, a session run out) shows before a STOP meets a 401. A recheck whose answer says
  // nothing about the login (no server, a 5xx) changes nothing. Each check renews the session.
  // A log-out waits (a few seconds at most: a request may hang on a dropped link) for a check
  // under way, whose answer may renew the cookie after the log-out cleared it; no check starts
  // while it runs; and a check's answer counts only if no log-in or log-out came since it began.
  const RECHECK = 60000, LOGOUT_WAIT = 3000;
  let authGen = 0, checking = Promise.resolve(), loggingOut = false;
  function checkAuth(recheck) {
    if (loggingOut) return checking;
    checking = checkAuthNow(recheck);
    return checking;
  }
  async function checkAuthNow(recheck) {
    const m = !recheck && /^#token=(.+)$/.exec(location.hash);
    if (m) { // a link printed at first start: log in, then forget it
      history.replaceState(null, "", location.pathname + location.search);
      await login(decodeURIComponent(m[1]));
      return;
    }
    const gen = authGen;
    let res;
    try { res = await fetch("/api/auth", { credentials: "same-origin" }); } catch (e) { return; }
    if (gen !== authGen) return; // a log-in or log-out since: its answer is the newer one
    if (res.status === 204) setAuth(true);
    else if (res.status === 401 || !recheck) setAuth(false);
  }
  async function logout() {
    loggingOut = true;
    authGen++;
    try {
      await Promise.race([checking.catch(() => {}), new Promise((ok) => setTimeout(ok, LOGOUT_WAIT))]);
      await post("/api/logout");
    } finally {
      authGen++;
      loggingOut = false;
      setAuth(false);
    }
  }

  async function login(token) {
    authGen++;
    const r = await post("/api/login", { token });
    setAuth(r.ok);
    $("login-msg").textContent = r.ok ? "" : r.status === 401 ? t("wrongToken") : r.status === 429 ? t("tooMany") : t("failed") + " (" + r.status + ")";
  }

  // loadCommands fills the pattern buttons and the policies from the rules in force: at login,
  // after a reload, when the stream comes back (the server may have restarted with others), and
  // when a frame's commands_tag is not the buttons' (a reload the panel did not make: rules.yaml
  // saved, SIGHUP). After a failed fetch, a frame asks again 5 s later at the soonest.
  let commandsTag = "", loadingCommands = false, commandsRetryAt = 0;
  const COMMANDS_RETRY = 5000;
  async function loadCommands() {
    let list;
    loadingCommands = true;
    try {
      const res = await fetch("/api/commands");
      if (!res.ok) { commandsRetryAt = Date.now() + COMMANDS_RETRY; return; }
      list = await res.json();
    } catch (e) {
      commandsRetryAt = Date.now() + COMMANDS_RETRY;
      return;
    } finally {
      loadingCommands = false;
    }
    commandsTag = list.tag || "";
    const { commands, policies } = list;
    const labels = {};
    for (const c of commands || []) if (c.label) labels[c.name] = c.label;
    CT.setLabels(labels);
    fillPolicies(policies);
    const box = $("patterns");
    box.replaceChildren();
    for (const { name } of commands || []) {
      if (name === "stop" || name === "resume") continue; // they have their own buttons
      const b = el("button", "pattern", command(name));
      b.dataset.pattern = name;
      b.addEventListener("click", () => control("pattern", { name }));
      box.appendChild(b);
    }
  }

  function chip(text, cls) { return el("span", cls || "", text); }
  // bdi holds a viewer's name: a right-to-left override (U+202E) in it reverses the name alone.
  function bdi(text) { return el("bdi", "", text); }

  // fillPolicies offers the engine's play policies (control.Policies) in the select.
  function fillPolicies(list) {
    const sel = $("policy");
    if (!Array.isArray(list) || list.length === 0) return;
    const cur = sel.value;
    sel.replaceChildren(...list.slice(0, 16).map((p) => {
      const o = el("option", "", t("policy_" + p));
      o.value = p;
      return o;
    }));
    sel.value = cur;
  }

  // roomChips: 包场, the vote window, the policy meter and the muted viewers.
  function roomChips(f) {
    const e = f.engine || {}, chips = [];
    const x = e.exclusive;
    if (x && x.until) {
      const c = chip("", "warn");
      c.append(t("exclusiveBy") + t("colon"), bdi(x.user_name || "?"), " · " + clock(Date.parse(x.until) - Date.parse(f.time)));
      c.id = "exclusive-chip";
      chips.push(c);
    }
    if (e.policy === "vote" && e.vote) {
      const top = (e.vote.tally || [])[0];
      const c = chip(CT.voteIdle(e.vote) ? t("voteIdle") :
        t("vote") + " " + clock(e.vote.ends_in_ns / 1e6) + (top ? " · " + command(top.rule) + " " + top.votes : ""));
      c.id = "vote-chip";
      chips.push(c);
    }
    const m = e.meter;
    if (m && (m.votes > 0 || m.forced || e.policy === "vote")) {
      chips.push(chip(t("meter") + " " + (m.forced ? t("meterForced") : Math.round(100 * (m.share || 0)) + "% · " + m.votes + " " + t("votes"))));
    }
    const n = e.timeouts || 0;
    const c = chip(CT.lang === "en" ? n + " " + t("timeouts") : t("timeouts") + " " + n + " 人", n > 0 ? "warn" : "");
    c.id = "timeouts";
    chips.push(c);
    return chips;
  }

  // sourceChips: one chip per chat source, in start order, saying whether viewers' commands
  // reach the rig: "B站 12345 已连接" (with "最后弹幕 3分钟前" when chat has been quiet for a
  // minute), "斗鱼 9999 断线 0:42 · 第3次重连 · 连接被拒" in red while it reconnects (the time
  // since the connection was lost, by the frame's clock), grey "已结束" with its reason. The
  // console (--stdin) is the streamer's own terminal, which cannot drop: it shows only once it
  // has ended, as a small neutral chip, since lines typed there then go nowhere.
  const QUIET = 60000, SLOW_CONNECT = 10000;
  function sourceChips(f) {
    const now = Date.parse(f.time), chips = [];
    const ago = (at) => now - Date.parse(at); // NaN when absent: every comparison false
    for (const s of Array.isArray(f.sources) ? f.sources : []) {
      if (!s || typeof s !== "object") continue;
      const consoleSrc = s.platform === "console";
      if (consoleSrc && s.state !== "ended") continue;
      let text = platform(String(s.platform || "?"));
      if (s.room && !consoleSrc) text += " " + s.room;
      const word = t("src_" + s.state);
      text += " " + (word === "src_" + s.state ? String(s.state) : word); // a state this page does not know: as it is
      let cls = "source";
      if (s.state === "connected") {
        cls += " ok";
        const quiet = ago(s.last_event);
        if (quiet > QUIET) text += t("sep") + CT.fill(t("srcLastChat"), dur(quiet));
        else if (!s.last_event && ago(s.since) > QUIET) text += t("sep") + t("srcNoChat");
      } else if (s.state === "reconnecting") {
        cls += " bad";
        const down = ago(s.since);
        if (down >= 0) text += " " + stopwatch(down);
        if (s.attempts > 0) text += t("sep") + CT.fill(t("srcRetry"), s.attempts);
        if (s.error) text += t("sep") + CT.sourceError(s.error);
      } else if (s.state === "ended") {
        cls += consoleSrc ? " small" : s.error ? " ended failed" : " ended";
        if (s.error) text += t("sep") + CT.sourceError(s.error);
      } else if (s.state === "connecting" && ago(s.since) > SLOW_CONNECT) {
        text += " " + stopwatch(ago(s.since));
      }
      const c = chip(text, cls);
      c.dataset.source = String(s.platform) + ":" + String(s.room || "");
      c.dataset.state = String(s.state || "");
      chips.push(c);
    }
    return chips;
  }
  // stopwatch is a time gone by in ms as a running timer: "0:42", "12:05", "1:02:03".
  function stopwatch(ms) {
    const s = Math.floor(ms / 1000), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    const p = (n) => (n < 10 ? "0" : "") + n;
    return (h > 0 ? h + ":" + p(m) : String(m)) + ":" + p(r);
  }

  // laserWarning shows, beside the laser buttons, the frame's laser_unkept: the laser switch
  // holds, but the server cannot keep it on disk (a full disk, a read-only state directory) and
  // tries again until it can. "forbid": a restart would allow the laser again; "allow": it would
  // forbid it again; "both"; "as_chat": it would keep the streamer's forbid as chat's 关激光 only,
  // which a moderator's 开激光 lifts; "as_panel": chat's as the streamer's. From every frame, so
  // it goes once a retry keeps it, and is there again after a reload.
  function laserWarning(f) {
    const w = $("laser-unkept"), lost = typeof f.laser_unkept === "string" ? f.laser_unkept : "";
    const text = lost === "" ? "" : t("laserUnkept_" + lost) === "laserUnkept_" + lost ? t("laserUnkept_both") : t("laserUnkept_" + lost);
    if (w.textContent !== text) w.textContent = text;
    w.hidden = text === "";
    w.dataset.lost = lost;
  }

  // moderate sends the form: 禁言 / 解禁 / 包场 / 收场, a name or uid, minutes.
  function moderate(ev) {
    ev.preventDefault();
    const action = $("mod-action").value, min = $("mod-minutes").value.trim();
    const body = { target: $("mod-target").value.trim() };
    if (min !== "" && Number(min) > 0) body.for = Math.round(Number(min) * 60) + "s";
    control(action, body);
  }

  function onFrame(f) {
    const e = f.engine || {}, rig = f.rig || {};
    if (f.labels) CT.setLabels(f.labels);
    if (f.commands_tag && f.commands_tag !== commandsTag && document.body.dataset.auth === "yes" &&
      !loadingCommands && Date.now() >= commandsRetryAt) loadCommands(); // the rules changed under the panel
    const state = $("state");
    const chips = [];
    const wand = CT.isWand(rig);
    CT.setWand(wand);
    document.body.classList.toggle("wand", wand);
    if (wand) {
      const w = chip(CT.wandText(rig));
      w.id = "wand-words";
      chips.push(w);
      CT.drawWand($("wand"), rig);
    }
    if (e.stopped || rig.stopped) chips.push(chip(t("stopped"), "bad"));
    if (e.paused) chips.push(chip(t("paused"), "warn"));
    chips.push(...sourceChips(f));
    chips.push(chip(t("policy_" + (e.policy || "queue")) + " · " + t("queue") + " " + (e.queue_len || 0) + "/" + (e.queue_cap || 0)));
    if (e.running) chips.push(chip(t("running") + ": " + command(e.running)));
    const l = CT.laser(f, Date.now());
    for (const sw of rig.switches || []) {
      let s, cls = sw.on ? "warn" : "";
      if (l && sw === l.sw) { // the laser: what the driver has, and why it differs from the ask
        s = CT.laserText(l);
        if (l.blanked) cls = "paused";
      } else {
        s = sw.name + t("colon") + (sw.on ? t("on") : t("off"));
      }
      if (sw.disabled && !(l && sw === l.sw && l.reason === "disabled")) s += " (" + reason("disabled") + ")";
      const c = chip(s, cls);
      c.dataset.switch = sw.name;
      chips.push(c);
    }
    const ses = rig.session || {};
    if (ses.phase && ses.phase !== "off") {
      let s = t("phase_" + ses.phase);
      if (ses.until) s += " " + clock(Date.parse(ses.until) - Date.parse(f.time));
      chips.push(chip(s));
    }
    if (ses.laser_budget_ns > 0) {
      const b = chip(t("budget") + " " + dur(ses.laser_today_ns / 1e6) + t("of") + dur(ses.laser_budget_ns / 1e6));
      b.id = "budget";
      chips.push(b);
    }
    chips.push(...roomChips(f));
    state.replaceChildren(...chips);
    state.dataset.stopped = (e.stopped || rig.stopped) ? "1" : "0";
    state.dataset.laser = l && l.on ? "on" : l && l.blanked ? "paused" : "off";
    state.dataset.laserReason = (l && l.reason) || "";
    laserWarning(f);
    const sel = $("policy");
    policyNow = e.policy || "queue";
    if (document.activeElement !== sel) sel.value = policyNow;
    merge((e.recent || []).concat(f.decisions || []));
    drawAudit();
  }

  // pending: accepted but not yet run; a later decision of the same event
  // (ran, or refused when its turn came) is its final outcome and replaces
  // it, and an older pending one never overwrites a final one.
  const pending = (d) => d.decision === "accepted" && d.reason === "queued";

  // stamp is a server time (RFC 3339, to the nanosecond) as [ms of its whole second, ns within
  // it]: a flood's decisions come microseconds apart, all in one of Date.parse's milliseconds.
  function stamp(s) {
    const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(.*)$/.exec(String(s || ""));
    if (!m) return [Date.parse(s) || 0, 0];
    return [Date.parse(m[1] + m[3]) || 0, Number((m[2] || "").padEnd(9, "0").slice(0, 9))];
  }
  const earlier = (a, b) => a[0] - b[0] || a[1] - b[1]; // of two stamps
  // older orders rows by their first decision's time, then as they came.
  const older = (a, b) => earlier(a.at, b.at) || a.n - b.n;

  // merge adds a list of decisions (a frame's engine.recent, its decisions) to the log: a new
  // event gets a row, a known one its latest outcome and the earliest of their times. Then the
  // rows past MAX_ROWS go, oldest first, whatever order the lists brought them in.
  function merge(list) {
    for (const d of list) {
      const key = d.platform + "\u0000" + (d.event_id || d.time + "\u0000" + d.user_id + "\u0000" + d.text);
      if (gone.has(key)) continue;
      const old = rows.get(key), at = stamp(d.time);
      if (!old) { rows.set(key, { key, first: d.time, at, n: seen++, d }); continue; }
      if (!(pending(d) && !pending(old.d))) old.d = d;
      if (earlier(at, old.at) < 0) { old.first = d.time; old.at = at; }
    }
    if (rows.size <= MAX_ROWS) return;
    const all = [...rows.values()].sort(older);
    for (const r of all.slice(0, rows.size - MAX_ROWS)) {
      rows.delete(r.key);
      gone.add(r.key);
    }
    for (const k of gone) { if (gone.size <= MAX_GONE) break; gone.delete(k); } // the longest gone first
  }

  // what a decision was about: a viewer's own words; for the room's own decisions, whose text
  // is internal ("timeout 小黑", a rule's name), the command by its label, its target and, for a
  // vote's result, its votes of its voters ("← 左 · 3/5"); a policy switch names the policy alone.
  function what(d) {
    if (d.reason === "policy" && d.policy) return t("policy_" + d.policy);
    if (d.text && !CT.byRoom(d)) return d.text;
    let s = d.combo ? CT.combo(d.combo) : d.rule ? command(d.rule) + (d.repeat > 1 ? " ×" + d.repeat : "") : "";
    if (d.target) s += (s ? " → " : "") + d.target;
    if (d.platform === "vote" && /^\d+\/\d+$/.test(d.text || "")) s += (s ? " · " : "") + d.text;
    return s;
  }

  function outcome(d) {
    if (pending(d)) return "… " + reason("queued");
    return (d.decision === "dropped" ? "✗ " : "✓ ") + reason(d.reason);
  }

  function drawAudit() {
    const list = [...rows.values()].sort((a, b) => older(b, a)); // newest first
    // by the rows' own keys: rows of events without an ID (Douyu's gifts) differ in them alone
    const key = list.map((r) => r.key + "\u0000" + r.d.reason).join("|");
    if (key === lastAudit) return;
    lastAudit = key;
    const body = $("audit").tBodies[0];
    body.replaceChildren();
    for (const { first, d } of list) {
      const tr = el("tr", pending(d) ? "pending" : d.decision);
      tr.dataset.event = d.platform + ":" + d.event_id;
      tr.dataset.reason = d.reason;
      tr.dataset.first = first;
      // a vote's result, a policy switch, the panel's own action: its platform's label says who
      const who = el("td", d.masked ? "masked" : "", CT.byRoom(d) ? platform(d.platform) : platform(d.platform) + " " + (d.user_name || "?"));
      tr.append(el("td", "time", hhmmss(new Date(first))), who, el("td", "", what(d)), el("td", "", outcome(d)));
      body.appendChild(tr);
    }
  }

  window.addEventListener("DOMContentLoaded", () => {
    for (const o of $("policy").options) o.textContent = t("policy_" + o.value);
    for (const b of document.querySelectorAll("[data-act]")) {
      b.addEventListener("click", () => control(b.dataset.act));
    }
    // No switch name: the server applies it to every laser switch, whatever its name (pointer, 激光).
    for (const b of document.querySelectorAll("[data-laser]")) {
      b.addEventListener("click", () => control("laser", { enabled: b.dataset.laser === "true" }));
    }
    for (const o of $("mod-action").options) o.textContent = t(o.value);
    $("mod-target").placeholder = t("target");
    $("mod-minutes").placeholder = t("minutes");
    $("mod-action").addEventListener("change", () => {
      $("mod-target").required = $("mod-action").value !== "end_exclusive";
    });
    $("moderate").addEventListener("submit", moderate);
    $("policy").addEventListener("change", async (ev) => {
      const sel = ev.target;
      if (!(await control("policy", { policy: sel.value }))) sel.value = policyNow; // refused: show what is in force
    });
    $("login").addEventListener("submit", (ev) => { ev.preventDefault(); login($("token").value); });
    $("logout").addEventListener("click", logout);
    const other = new URLSearchParams(location.search);
    other.set("lang", t("otherLangCode"));
    $("lang").href = location.pathname + "?" + other.toString();
    $("conn").textContent = t("connecting");
    let conn = "";
    CT.stream(onFrame, (state) => {
      const back = state === "online" && conn === "offline";
      conn = state;
      document.body.dataset.conn = state;
      $("conn").textContent = state === "online" ? "" : t(state);
      if (back) { // the server may have restarted, with a new token or new rules
        const was = document.body.dataset.auth === "yes";
        checkAuth(true).then(() => { if (was && document.body.dataset.auth === "yes") loadCommands(); });
      }
    });
    window.addEventListener("hashchange", () => checkAuth());
    checkAuth();
    setInterval(() => checkAuth(true), RECHECK);
  });
})();
