// cattease control panel. Every control is a POST to /api/control/...;
// the server checks the token (the login cookie) on each one.
"use strict";
(function () {
  const { t, clock, el, reason, command, platform } = window.CT;
  const $ = (id) => document.getElementById(id);
  let lastAudit = "";

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
      say(r.ok ? t("ok") + ": " + action : t("failed") + ": " + (r.data.error || r.status), !r.ok);
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
    $("login-msg").textContent = r.ok ? "" : (r.status === 401 ? t("wrongToken") : r.data.error || r.status);
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
    if (e.stopped || rig.stopped) chips.push(chip(t("stopped"), "bad"));
    if (e.paused) chips.push(chip(t("paused"), "warn"));
    chips.push(chip(t("policy_" + (e.policy || "queue")) + " · " + t("queue") + " " + (e.queue_len || 0) + "/" + (e.queue_cap || 0)));
    if (e.running) chips.push(chip(t("running") + ": " + command(e.running)));
    for (const sw of rig.switches || []) {
      let s = sw.name + ": " + (sw.on ? "ON" : "off");
      if (sw.disabled) s += " (" + reason("disabled") + ")";
      chips.push(chip(s, sw.on ? "warn" : ""));
    }
    const ses = rig.session || {};
    if (ses.phase && ses.phase !== "off") {
      let s = t("phase_" + ses.phase);
      if (ses.until) s += " " + clock(Date.parse(ses.until) - Date.parse(f.time));
      chips.push(chip(s));
    }
    state.replaceChildren(...chips);
    state.dataset.stopped = (e.stopped || rig.stopped) ? "1" : "0";
    const laser = (rig.switches || []).find((s) => s.name === "laser") || (rig.switches || [])[0];
    state.dataset.laser = laser && laser.on ? "on" : "off";
    const sel = $("policy");
    if (document.activeElement !== sel) sel.value = e.policy || "queue";
    drawAudit(e.recent || []);
  }

  function drawAudit(recent) {
    const key = recent.map((d) => d.event_id + d.reason).join("|");
    if (key === lastAudit) return;
    lastAudit = key;
    const body = $("audit").tBodies[0];
    body.replaceChildren();
    for (const d of recent.slice().reverse()) {
      const tr = el("tr", d.decision);
      const time = new Date(d.time).toLocaleTimeString();
      const who = el("td", d.masked ? "masked" : "", platform(d.platform) + " " + (d.user_name || "?"));
      tr.append(el("td", "", time), who, el("td", "", d.text || d.rule),
        el("td", "", d.decision + " · " + reason(d.reason)));
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
    CT.stream(onFrame, (ok) => { $("conn").textContent = ok ? "" : t("connecting"); });
    window.addEventListener("hashchange", checkAuth);
    checkAuth();
  });
})();
