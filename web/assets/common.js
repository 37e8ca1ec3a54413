// cattease: strings and the event stream for the overlay and the panel. Chinese by default,
// English with ?lang=en. Shared by both pages; defines window.CT.
"use strict";
(function () {
  const params = new URLSearchParams(location.search);
  const lang = params.get("lang") === "en" ? "en" : "zh";
  const S = {
    zh: {
      lastMoved: "最后操作", nobody: "还没有人", queue: "队列", policy_queue: "排队模式",
      policy_latest: "最新优先", paused: "弹幕控制已暂停", stopped: "急停", connecting: "连接中…",
      phase_rest: "猫咪休息中", phase_quiet: "安静时段", phase_play: "游戏时间", autoplay: "自动玩耍",
      laserOn: "激光开", laserOff: "激光关", far: "远", near: "近", left: "左", right: "右", cooling: "冷却中", budget: "今日激光",
      // panel
      panel: "控制面板", stop: "紧急停止", resume: "恢复", pause: "暂停弹幕控制", unpause: "恢复弹幕控制",
      policyLabel: "播放策略", patterns: "运行动作", laser: "激光", laserEnable: "允许激光", laserDisable: "禁止激光",
      reload: "重新加载配置", audit: "最近记录", login: "登录", token: "令牌", logout: "退出",
      needToken: "需要令牌才能控制（启动时打印过，或在令牌文件里）", wrongToken: "令牌不对",
      ok: "好了", failed: "失败", time: "时间", user: "用户", command: "指令", result: "结果",
      rig: "设备", state: "状态", running: "正在执行", none: "无",
    },
    en: {
      lastMoved: "Last move", nobody: "nobody yet", queue: "Queue", policy_queue: "Queue mode",
      policy_latest: "Latest wins", paused: "Chat control paused", stopped: "STOPPED", connecting: "connecting…",
      phase_rest: "Cat is resting", phase_quiet: "Quiet hours", phase_play: "Play time", autoplay: "Autoplay",
      laserOn: "laser on", laserOff: "laser off", far: "far", near: "near", left: "left", right: "right", cooling: "cooling down", budget: "Laser today",
      panel: "Control panel", stop: "EMERGENCY STOP", resume: "Resume", pause: "Pause chat control", unpause: "Resume chat control",
      policyLabel: "Play policy", patterns: "Run a pattern", laser: "Laser", laserEnable: "Allow laser", laserDisable: "Forbid laser",
      reload: "Reload config", audit: "Recent decisions", login: "Log in", token: "Token", logout: "Log out",
      needToken: "The controls need the token (printed at first start, or in the token file)", wrongToken: "Wrong token",
      ok: "done", failed: "failed", time: "Time", user: "User", command: "Command", result: "Result",
      rig: "Rig", state: "State", running: "running", none: "none",
    },
  };
  const reasons = {
    zh: { permission: "无权限", paused: "已暂停", stopped: "急停中", rate_global: "太快了", cooldown_command: "冷却中",
      cooldown_user: "冷却中", user_table_full: "人太多了", queue_full: "队列已满", superseded: "被新指令替换",
      queued: "排队中", immediate: "已执行", ran: "已执行", clamped: "到边了", max_on: "已限时", resting: "激光休息中",
      disabled: "激光已禁止", unknown_output: "无法执行", bad_value: "无法执行", keep_out: "禁区边上",
      cat_resting: "猫咪休息中", quiet_hours: "安静时段", daily_budget: "今日激光已用完", fault: "设备故障" },
    en: { permission: "not allowed", paused: "paused", stopped: "stopped", rate_global: "too fast", cooldown_command: "cooling down",
      cooldown_user: "cooling down", user_table_full: "too busy", queue_full: "queue full", superseded: "replaced",
      queued: "queued", immediate: "done", ran: "done", clamped: "at the edge", max_on: "time capped", resting: "laser resting",
      disabled: "laser disabled", unknown_output: "failed", bad_value: "failed", keep_out: "kept out of a zone",
      cat_resting: "cat is resting", quiet_hours: "quiet hours", daily_budget: "laser done for today", fault: "hardware fault" },
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
  // clock formats a duration in ms: "3s" below a minute, "12:30" above.
  function clock(ms) {
    const s = Math.max(0, Math.ceil(ms / 1000));
    if (s < 60) return s + "s";
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    const mm = (h > 0 && m < 10 ? "0" : "") + m, ss = (r < 10 ? "0" : "") + r;
    return (h > 0 ? h + ":" : "") + mm + ":" + ss;
  }
  // el builds an element; text is always set as text, never as HTML.
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  // stream calls onFrame with every state frame, adding f.offset (server
  // clock minus ours, ms) and f.recv (our clock at receipt), and onConn
  // with true/false as the stream connects and drops. EventSource retries
  // by itself; each frame is a whole state, so nothing is lost but time.
  function stream(onFrame, onConn) {
    const es = new EventSource("/api/events");
    es.addEventListener("open", () => onConn(true));
    es.addEventListener("error", () => onConn(false));
    es.addEventListener("state", (ev) => {
      let f;
      try { f = JSON.parse(ev.data); } catch (e) { return; }
      f.recv = Date.now();
      f.offset = Date.parse(f.time) - f.recv;
      onFrame(f);
    });
    return es;
  }
  window.CT = {
    lang, params, t, clock, el, stream,
    reason: (r) => reasons[lang][r] || r,
    command: (c) => commands[lang][c] || c,
    platform: (p) => platforms[lang][p] || p,
  };
  document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  window.addEventListener("DOMContentLoaded", () => {
    for (const e of document.querySelectorAll("[data-t]")) e.textContent = t(e.dataset.t);
  });
})();
