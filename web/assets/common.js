// cattease: strings and the event stream for the overlay and the panel; defines window.CT.
// One language at a time: ?lang=zh or ?lang=en; else the overlay speaks Chinese and the panel
// (whose <html> has data-lang-default="browser") the browser's language.
"use strict";
(function () {
  const params = new URLSearchParams(location.search);
  const asked = params.get("lang");
  const byBrowser = document.documentElement.dataset.langDefault === "browser";
  const browserLang = (navigator.languages && navigator.languages[0]) || navigator.language || "";
  const lang = asked === "en" || asked === "zh" ? asked : byBrowser && !/^zh\b/i.test(browserLang) ? "en" : "zh";
  const S = {
    zh: {
      lastMoved: "最后操作", nobody: "还没有人", queue: "队列", policy_queue: "排队模式",
      policy_latest: "最新优先", paused: "弹幕控制已暂停", stopped: "急停", connecting: "连接中…", offline: "离线",
      phase_rest: "猫咪休息中", phase_quiet: "安静时段", phase_play: "游戏时间", autoplay: "自动玩耍",
      laserOn: "激光开", laserOff: "激光关", laserPaused: "激光暂停", laserOffWhy: "激光关",
      far: "远", near: "近", left: "左", right: "右", cooling: "冷却中", budget: "今日激光", of: " / ",
      // panel
      panel: "控制面板", stop: "紧急停止", resume: "恢复", pause: "暂停弹幕控制", unpause: "恢复弹幕控制",
      policyLabel: "播放策略", patterns: "运行动作", policy: "播放策略", pattern: "运行动作",
      laser: "激光", laserEnable: "允许激光", laserDisable: "禁止激光",
      reload: "重新加载配置", audit: "最近记录", login: "登录", token: "令牌", logout: "退出",
      needToken: "需要令牌才能控制（启动时打印过，或在令牌文件里）", wrongToken: "令牌不对", tooMany: "尝试太多次，请稍等",
      ok: "好了", failed: "失败", time: "时间", user: "用户", command: "指令", result: "结果",
      rig: "设备", state: "状态", running: "正在执行", none: "无", on: "开", off: "关", colon: "：",
      otherLang: "English", otherLangCode: "en",
    },
    en: {
      lastMoved: "Last move", nobody: "nobody yet", queue: "Queue", policy_queue: "Queue mode",
      policy_latest: "Latest wins", paused: "Chat control paused", stopped: "STOPPED", connecting: "connecting…", offline: "offline",
      phase_rest: "Cat is resting", phase_quiet: "Quiet hours", phase_play: "Play time", autoplay: "Autoplay",
      laserOn: "laser on", laserOff: "laser off", laserPaused: "laser paused", laserOffWhy: "laser off",
      far: "far", near: "near", left: "left", right: "right", cooling: "cooling down", budget: "laser today", of: " of ",
      panel: "Control panel", stop: "EMERGENCY STOP", resume: "Resume", pause: "Pause chat control", unpause: "Resume chat control",
      policyLabel: "Play policy", patterns: "Run a pattern", policy: "Play policy", pattern: "Pattern",
      laser: "Laser", laserEnable: "Allow laser", laserDisable: "Forbid laser",
      reload: "Reload config", audit: "Recent decisions", login: "Log in", token: "Token", logout: "Log out",
      needToken: "The controls need the token (printed at first start, or in the token file)", wrongToken: "Wrong token",
      tooMany: "Too many attempts; wait a moment",
      ok: "done", failed: "failed", time: "Time", user: "User", command: "Command", result: "Result",
      rig: "Rig", state: "State", running: "running", none: "none", on: "on", off: "off", colon: ": ",
      otherLang: "中文", otherLangCode: "zh",
    },
  };
  // Every actuators.Reason, in both languages: one line each, in this exact form, because
  // TestReasonTexts (reasons_test.go) reads this block and fails naming any reason without both.
  // The texts also follow "激光暂停：" / "laser paused: " when the laser is held dark.
  const reasonTexts = {
    not_chat: { zh: "不是指令", en: "not a command" },
    no_command: { zh: "普通聊天", en: "just chat" },
    permission: { zh: "无权限", en: "not allowed" },
    paused: { zh: "已暂停", en: "paused" },
    rate_global: { zh: "太快了", en: "too fast" },
    cooldown_command: { zh: "冷却中", en: "cooling down" },
    cooldown_user: { zh: "冷却中", en: "cooling down" },
    user_table_full: { zh: "人太多了", en: "too busy" },
    queue_full: { zh: "队列已满", en: "queue full" },
    superseded: { zh: "被新指令替换", en: "replaced" },
    queued: { zh: "排队中", en: "queued" },
    immediate: { zh: "已执行", en: "done" },
    ran: { zh: "已执行", en: "done" },
    clamped: { zh: "到边了", en: "at the edge" },
    keep_out: { zh: "避开禁区", en: "keep-out zone" },
    max_on: { zh: "单次时长到了", en: "on-time cap" },
    resting: { zh: "激光休息中", en: "laser resting" },
    dwell: { zh: "静止太久", en: "dot still too long" },
    daily_budget: { zh: "今日激光已用完", en: "laser done for today" },
    ledger: { zh: "激光记录读写失败", en: "laser ledger unavailable" },
    stopped: { zh: "急停中", en: "stopped" },
    disabled: { zh: "激光已禁止", en: "laser disabled" },
    fault: { zh: "设备故障", en: "hardware fault" },
    shutting_down: { zh: "正在关闭", en: "shutting down" },
    dead_man: { zh: "太久没有指令，已归位", en: "idle too long: parked" },
    watchdog: { zh: "运动控制卡住，已关灯", en: "motion loop stalled" },
    cat_resting: { zh: "猫咪休息中", en: "cat is resting" },
    quiet_hours: { zh: "安静时段", en: "quiet hours" },
    unknown_output: { zh: "无法执行", en: "failed" },
    bad_value: { zh: "数值无效", en: "bad value" },
  };
  const commands = {
    zh: { left: "← 左", right: "→ 右", up: "↑ 远", down: "↓ 近", center: "◎ 回中", laser: "✦ 激光", laser_off: "✧ 关灯",
      circle: "◯ 画圈", zigzag: "⚡ 之字", stop: "■ 停", resume: "▶ 继续" },
    en: { left: "← left", right: "→ right", up: "↑ far", down: "↓ near", center: "◎ center", laser: "✦ laser", laser_off: "✧ off",
      circle: "◯ circle", zigzag: "⚡ zigzag", stop: "■ stop", resume: "▶ resume" },
  };
  const platforms = {
    zh: { bilibili: "B站", douyu: "斗鱼", console: "控制台", panel: "主播", replay: "回放" },
    en: { bilibili: "Bilibili", douyu: "Douyu", console: "console", panel: "streamer", replay: "replay" },
  };
  function t(key) { return S[lang][key] || key; }
  // clock formats a countdown in ms: "3秒" / "3 s" below a minute, a timer "12:30" above.
  function clock(ms) {
    const s = Math.max(0, Math.ceil(ms / 1000));
    if (s < 60) return s + (lang === "en" ? " s" : "秒");
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    const mm = (h > 0 && m < 10 ? "0" : "") + m, ss = (r < 10 ? "0" : "") + r;
    return (h > 0 ? h + ":" : "") + mm + ":" + ss;
  }
  // dur formats an amount of time in ms, never like a clock: "23秒", "20分钟", "1小时5分钟";
  // "23 s", "20 min", "1 h 5 min". Minutes and hours are whole (rounded down) from a minute on.
  function dur(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    const zh = lang !== "en";
    if (s < 60) return s + (zh ? "秒" : " s");
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    if (h === 0) return m + (zh ? "分钟" : " min");
    const hs = h + (zh ? "小时" : " h");
    return m === 0 ? hs : hs + (zh ? m + "分钟" : " " + m + " min");
  }
  // hhmmss is a 24-hour time of day, local: "14:03:09".
  function hhmmss(date) {
    const p = (n) => (n < 10 ? "0" : "") + n;
    return p(date.getHours()) + ":" + p(date.getMinutes()) + ":" + p(date.getSeconds());
  }
  // el builds an element; text is always set as text, never as HTML.
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function reason(r) { const x = reasonTexts[r]; return x ? x[lang] : r; }

  // laser describes a frame's laser: the switch named "laser" (else the first). "on" is what the
  // driver was last sent (the emitted state); "requested" is what play asked for (absent from older
  // servers: then "on" is all there is). Returns {sw, on, requested, blanked, reason, left}, where
  // blanked means asked for but held dark, reason why (a key of reasonTexts) and left the ms until
  // that ends, when known. now is our clock, f.offset the server's lead over it.
  function laser(f, now) {
    const rig = f.rig || {};
    const sws = rig.switches || [];
    const sw = sws.find((s) => s.name === "laser") || sws[0];
    if (!sw) return null;
    const on = !!sw.on;
    const requested = "requested" in sw ? !!sw.requested : on;
    let why = sw.reason || "";
    let until = sw.until ? Date.parse(sw.until) : NaN;
    if (requested && !on && !why) { // an older server: work out what is likely
      const ses = rig.session || {};
      if (rig.stopped) why = "stopped";
      else if (sw.disabled) why = "disabled";
      else if (ses.phase === "rest") why = "cat_resting";
      else if (ses.phase === "quiet") why = "quiet_hours";
    }
    if (isNaN(until) && sw.rest_until && (why === "resting" || why === "max_on")) until = Date.parse(sw.rest_until);
    const left = isNaN(until) ? null : until - (f.offset || 0) - now;
    return { sw, on, requested, blanked: requested && !on, reason: why, left: left !== null && left > 0 ? left : null };
  }
  // laserText is one line, in one language: "激光开", "激光暂停：静止太久", "激光暂停：激光休息中 12秒",
  // "激光关", or "激光关：今日激光已用完" when the laser was cut short and is no longer asked for.
  function laserText(l) {
    if (!l) return "";
    if (l.on) return t("laserOn");
    let s = l.blanked ? t("laserPaused") : l.reason ? t("laserOffWhy") : t("laserOff");
    if (l.reason) s += t("colon") + reason(l.reason);
    if (l.reason && l.left !== null) s += " " + clock(l.left);
    return s;
  }

  // stream calls onFrame with every state frame, adding f.offset (server clock minus ours, ms) and
  // f.recv (our clock at receipt), and onConn(state) with "online" at a frame after silence,
  // "offline" when the stream errs or no frame came for STALE ms (the server sends one a second
  // at least). EventSource retries by itself; each frame is a whole state.
  const STALE = 2500; // checked every 250 ms: offline within 3 s of the last frame
  function stream(onFrame, onConn) {
    let lastRecv = 0, state = "";
    const set = (s) => { if (s !== state) { state = s; onConn(s); } };
    const es = new EventSource("/api/events");
    es.addEventListener("error", () => set("offline"));
    es.addEventListener("state", (ev) => {
      let f;
      try { f = JSON.parse(ev.data); } catch (e) { return; }
      f.recv = lastRecv = Date.now();
      f.offset = Date.parse(f.time) - f.recv;
      set("online");
      onFrame(f);
    });
    const started = Date.now();
    setInterval(() => {
      if (Date.now() - (lastRecv || started) > STALE) set("offline");
    }, 250);
    return es;
  }
  window.CT = {
    lang, params, t, clock, dur, hhmmss, el, stream, reason, laser, laserText,
    command: (c) => commands[lang][c] || c,
    platform: (p) => platforms[lang][p] || p,
  };
  document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  document.documentElement.dataset.lang = lang;
  window.addEventListener("DOMContentLoaded", () => {
    for (const e of document.querySelectorAll("[data-t]")) e.textContent = t(e.dataset.t);
  });
})();
