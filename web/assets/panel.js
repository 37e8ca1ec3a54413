// cattease control panel. Every control is a POST to /api/control/...;
// the server checks the token (the login cookie) on each one. One language
// at a time (?lang=zh|en, else the browser's), 24-hour times, and one row
// per chat event in the log, showing its latest outcome.
"use strict";
(function () {
  const { t, clock, dur, hhmmss, el, reason, command, platform } = window.CT;
  const $ = (id) => document.getElementById(id);
  let lastAudit = "";
  // rows: the log, one entry per event (platform + id), in first-seen order.
  const rows = new Map();
  const MAX_ROWS = 30;

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

  async function control(action, body) {
    say("…");
    try {
      const r = await post("/api/control/" + action, body);
      if (r.status === 401) { setAuth(false); say(t("needToken"), true); return; }
      if (r.ok) say(t(action) + t("colon") + t("ok"));
      else say(t(action) + t("colon") + t("failed") + " (" + r.status + ")" + (r.data.error ? "\n" + r.data.error : ""), true);
    } catch (e) {
      say(t("failed") + ": " + e, true);
    }
  }

  function setAuth(ok) {
    document.body.dataset.auth = ok ? "yes" : "no";
    $("login").hidden = ok;
    $("logout").hidden = !ok;
    if (ok) loadCommands();
  }

  async function checkAuth() {
    const m = /^#token=(.+)$/.exec(location.hash);
    if (m) { // a link printed at first start: log in, then forget it
      history.replaceState(null, "", location.pathname + location.search);
      await login(decodeURIComponent(m[1]));
      return;
    }
    const res = await fetch("/api/auth", { credentials: "same-origin" });
    setAuth(res.status === 204);
  }

  async function login(token) {
    const r = await post("/api/login", { token });
    setAuth(r.ok);
    $("login-msg").textContent = r.ok ? "" : r.status === 401 ? t("wrongToken") : r.status === 429 ? t("tooMany") : t("failed") + " (" + r.status + ")";
  }

  async function loadCommands() {
    const res = await fetch("/api/commands");
    if (!res.ok) return;
    const { commands } = await res.json();
    const box = $("patterns");
    box.replaceChildren();
    for (const name of commands || []) {
      if (name === "stop" || name === "resume") continue; // they have their own buttons
      const b = el("button", "pattern", command(name));
      b.dataset.pattern = name;
      b.addEventListener("click", () => control("pattern", { name }));
      box.appendChild(b);
    }
  }

  function chip(text, cls) { return el("span", cls || "", text); }

  function onFrame(f) {
    const e = f.engine || {}, rig = f.rig || {};
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
    state.replaceChildren(...chips);
    state.dataset.stopped = (e.stopped || rig.stopped) ? "1" : "0";
    state.dataset.laser = l && l.on ? "on" : l && l.blanked ? "paused" : "off";
    state.dataset.laserReason = (l && l.reason) || "";
    const sel = $("policy");
    if (document.activeElement !== sel) sel.value = e.policy || "queue";
    merge(e.recent || []);
    merge(f.decisions || []);
    drawAudit();
  }

  // pending: accepted but not yet run; a later decision of the same event
  // (ran, or refused when its turn came) is its final outcome and replaces
  // it, and an older pending one never overwrites a final one.
  const pending = (d) => d.decision === "accepted" && d.reason === "queued";

  function merge(list) {
    for (const d of list) {
      const key = d.platform + "\u0000" + (d.event_id || d.time + "\u0000" + d.user_id + "\u0000" + d.text);
      const old = rows.get(key);
      if (!old) rows.set(key, { first: d.time, d });
      else if (!(pending(d) && !pending(old.d))) old.d = d;
    }
    while (rows.size > MAX_ROWS) rows.delete(rows.keys().next().value);
  }

  function outcome(d) {
    if (pending(d)) return "… " + reason("queued");
    return (d.decision === "dropped" ? "✗ " : "✓ ") + reason(d.reason);
  }

  function drawAudit() {
    const list = [...rows.values()].reverse(); // newest first
    const key = list.map((r) => r.d.event_id + r.d.reason).join("|");
    if (key === lastAudit) return;
    lastAudit = key;
    const body = $("audit").tBodies[0];
    body.replaceChildren();
    for (const { first, d } of list) {
      const tr = el("tr", pending(d) ? "pending" : d.decision);
      tr.dataset.event = d.platform + ":" + d.event_id;
      tr.dataset.reason = d.reason;
      const who = el("td", d.masked ? "masked" : "", platform(d.platform) + " " + (d.user_name || "?"));
      tr.append(el("td", "time", hhmmss(new Date(first))), who, el("td", "", d.text || command(d.rule)),
        el("td", "", outcome(d)));
      body.appendChild(tr);
    }
  }

  window.addEventListener("DOMContentLoaded", () => {
    for (const o of $("policy").options) o.textContent = t("policy_" + o.value);
    for (const b of document.querySelectorAll("[data-act]")) {
      b.addEventListener("click", () => control(b.dataset.act));
    }
    for (const b of document.querySelectorAll("[data-laser]")) {
      b.addEventListener("click", () => control("laser", { switch: "laser", enabled: b.dataset.laser === "true" }));
    }
    $("policy").addEventListener("change", (ev) => control("policy", { policy: ev.target.value }));
    $("login").addEventListener("submit", (ev) => { ev.preventDefault(); login($("token").value); });
    $("logout").addEventListener("click", async () => { await post("/api/logout"); setAuth(false); });
    const other = new URLSearchParams(location.search);
    other.set("lang", t("otherLangCode"));
    $("lang").href = location.pathname + "?" + other.toString();
    $("conn").textContent = t("connecting");
    CT.stream(onFrame, (state) => {
      document.body.dataset.conn = state;
      $("conn").textContent = state === "online" ? "" : t(state);
    });
    window.addEventListener("hashchange", checkAuth);
    checkAuth();
  });
})();
