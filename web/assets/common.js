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
      policy_latest: "最新优先", policy_vote: "投票模式", policy_fair: "轮流模式",
      waiting: "排队", eta: "约", prio: "插队", vote: "投票中", voteIdle: "发指令开始投票", voters: "人投票", votes: "票", left_: "还剩",
      meter: "投票模式", meterNeed: "需", meterForced: "已锁定", exclusiveBy: "包场中",
      pendingN: "待执行", giftThanks: "谢谢", giftBought: "送的", giftPriority: "插队", giftExtra: "额外指令",
      giftExclusive: "包场", times: "次", giftPattern: "表演",
      moderate: "房管操作", modTimeout: "禁言", modUntimeout: "解禁", modExclusive: "包场", modEndExclusive: "收场",
      target: "昵称或UID", minutes: "分钟（可空）", apply: "执行", timeouts: "禁言中",
      timeout: "禁言", untimeout: "解禁", exclusive: "包场", end_exclusive: "收场", paused: "弹幕控制已暂停", stopped: "急停", connecting: "连接中…", offline: "离线",
      phase_rest: "猫咪休息中", phase_quiet: "安静时段", phase_play: "游戏时间", autoplay: "自动玩耍",
      laserOn: "激光开", laserOff: "激光关", laserPaused: "激光暂停", laserOffWhy: "激光关",
      far: "远", near: "近", left: "左", right: "右", cooling: "冷却中", budget: "今日激光", of: " / ",
      // panel
      panel: "控制面板", stop: "紧急停止", resume: "恢复", pause: "暂停弹幕控制", unpause: "恢复弹幕控制",
      policyLabel: "播放策略", patterns: "运行动作", policy: "播放策略", pattern: "运行动作",
      laser: "激光", laserEnable: "允许激光", laserDisable: "禁止激光",
      // the frame's laser_unkept: the laser switch holds, but the file that keeps it over a restart cannot be written
      laserUnkept_forbid: "⚠ 激光禁止已生效，但没能保存到磁盘（磁盘满了或状态目录只读？看日志）：现在重启会重新允许激光；程序会一直重试保存",
      laserUnkept_allow: "⚠ 激光已允许，但磁盘上记着的禁止没能删掉（磁盘满了或状态目录只读？看日志）：现在重启会重新禁止激光；程序会一直重试",
      laserUnkept_both: "⚠ 激光开关已生效，但没能保存到磁盘（磁盘满了或状态目录只读？看日志）：现在重启会回到上次保存的状态，之后允许的激光会重新禁止，之后禁止的有的会重新允许（或变成房管一句“开激光”就能解除）；程序会一直重试保存",
      laserUnkept_as_chat: "⚠ 主播的激光禁止已生效，但没能保存到磁盘（磁盘满了或状态目录只读？看日志）：现在重启后激光仍是禁止的，但只算弹幕“关激光”的禁止，房管一句“开激光”就能解除；程序会一直重试保存",
      laserUnkept_as_panel: "⚠ 弹幕“关激光”的禁止已生效，但没能保存到磁盘（磁盘满了或状态目录只读？看日志）：现在重启后激光仍是禁止的，但算作主播的禁止，房管的“开激光”解除不了，只能用面板的激光开关；程序会一直重试保存",
      reload: "重新加载配置", restartNeeded: "这些部分要重启 cattease 才生效（运行中的保持不变）：", audit: "最近记录", login: "登录", token: "令牌", logout: "退出",
      needToken: "需要令牌才能控制（启动时打印过，或在令牌文件里）", wrongToken: "令牌不对", tooMany: "尝试太多次，请稍等",
      ok: "好了", failed: "失败", time: "时间", user: "用户", command: "指令", result: "结果",
      rig: "设备", state: "状态", running: "正在执行", none: "无", on: "开", off: "关", colon: "：",
      otherLang: "English", otherLangCode: "en",
      wand: "逗猫棒", wandHigh: "高", wandLow: "低", farLeft: "最左", leftW: "左边", centreW: "中间", rightW: "右边", farRight: "最右",
      floorW: "贴地", lowW: "低处", midW: "半空", highW: "高处", letGo: "已松开", servoCooling: "舵机降温中",
      movingLeft: "向左", movingRight: "向右", rising: "抬起", dropping: "落下", sep: " · ",
      // chat sources: the panel's chips ("斗鱼 9999 断线 0:42 · 第3次重连 · 连接被拒") and the overlay's line
      src_connecting: "连接中…", src_connected: "已连接", src_reconnecting: "断线", src_ended: "已结束",
      srcRetry: "第%s次重连", srcLastChat: "最后弹幕 %s前", srcNoChat: "还没有弹幕",
      chatLost: "弹幕连接中断，正在重连…", chatLostOn: "%s弹幕连接中断，正在重连…",
      chatEnded: "弹幕连接已断开，指令暂时无效", chatEndedOn: "%s弹幕连接已断开，指令暂时无效", listSep: "、",
    },
    en: {
      lastMoved: "Last move", nobody: "nobody yet", queue: "Queue", policy_queue: "Queue mode",
      policy_latest: "Latest wins", policy_vote: "Vote mode", policy_fair: "Fair turns",
      waiting: "Waiting", eta: "in", prio: "priority", vote: "Vote", voteIdle: "send a command to vote", voters: "voters", votes: "votes", left_: "left",
      meter: "Vote mode", meterNeed: "needs", meterForced: "fixed", exclusiveBy: "Exclusive play",
      pendingN: "waiting", giftThanks: "Thanks", giftBought: "for", giftPriority: "priority", giftExtra: "extra",
      giftExclusive: "exclusive", times: "×", giftPattern: "show",
      moderate: "Moderation", modTimeout: "Time out", modUntimeout: "Lift timeout", modExclusive: "Exclusive", modEndExclusive: "End exclusive",
      target: "name or uid", minutes: "minutes (optional)", apply: "Apply", timeouts: "timed out",
      timeout: "Time out", untimeout: "Lift timeout", exclusive: "Exclusive", end_exclusive: "End exclusive", paused: "Chat control paused", stopped: "STOPPED", connecting: "connecting…", offline: "offline",
      phase_rest: "Cat is resting", phase_quiet: "Quiet hours", phase_play: "Play time", autoplay: "Autoplay",
      laserOn: "laser on", laserOff: "laser off", laserPaused: "laser paused", laserOffWhy: "laser off",
      far: "far", near: "near", left: "left", right: "right", cooling: "cooling down", budget: "laser today", of: " of ",
      panel: "Control panel", stop: "EMERGENCY STOP", resume: "Resume", pause: "Pause chat control", unpause: "Resume chat control",
      policyLabel: "Play policy", patterns: "Run a pattern", policy: "Play policy", pattern: "Pattern",
      laser: "Laser", laserEnable: "Allow laser", laserDisable: "Forbid laser",
      laserUnkept_forbid: "⚠ Laser forbidden, but not saved to disk (disk full or state directory read-only? see the log): a restart now would allow the laser again; saving is retried until it works",
      laserUnkept_allow: "⚠ Laser allowed, but the forbid saved on disk could not be removed (disk full or state directory read-only? see the log): a restart now would forbid the laser again; removing it is retried until it works",
      laserUnkept_both: "⚠ Laser switches in force, but not saved to disk (disk full or state directory read-only? see the log): a restart now would go back to what was last saved, forbidding again lasers allowed since, and allowing again others forbidden since (or leaving them for a moderator's 开激光 to allow); saving is retried until it works",
      laserUnkept_as_chat: "⚠ Laser forbidden by the streamer, but not saved to disk (disk full or state directory read-only? see the log): a restart now would keep it forbidden, but as chat's 关激光 only, which a moderator's 开激光 lifts; saving is retried until it works",
      laserUnkept_as_panel: "⚠ Laser forbidden by chat's 关激光, but not saved to disk (disk full or state directory read-only? see the log): a restart now would keep it forbidden as the streamer's, which a moderator's 开激光 cannot lift, only the panel's laser switch; saving is retried until it works",
      reload: "Reload config", restartNeeded: "These sections take effect after a restart (the running ones stay): ", audit: "Recent decisions", login: "Log in", token: "Token", logout: "Log out",
      needToken: "The controls need the token (printed at first start, or in the token file)", wrongToken: "Wrong token",
      tooMany: "Too many attempts; wait a moment",
      ok: "done", failed: "failed", time: "Time", user: "User", command: "Command", result: "Result",
      rig: "Rig", state: "State", running: "running", none: "none", on: "on", off: "off", colon: ": ",
      otherLang: "中文", otherLangCode: "zh",
      wand: "wand", wandHigh: "high", wandLow: "low", farLeft: "far left", leftW: "left", centreW: "centre", rightW: "right", farRight: "far right",
      floorW: "on the floor", lowW: "low", midW: "mid-height", highW: "high", letGo: "let go", servoCooling: "servo cooling",
      movingLeft: "moving left", movingRight: "moving right", rising: "rising", dropping: "dropping", sep: " · ",
      src_connecting: "connecting…", src_connected: "connected", src_reconnecting: "down", src_ended: "ended",
      srcRetry: "retry %s", srcLastChat: "last chat %s ago", srcNoChat: "no chat yet",
      chatLost: "chat connection lost, reconnecting…", chatLostOn: "%s chat connection lost, reconnecting…",
      chatEnded: "chat disconnected: commands cannot get through", chatEndedOn: "%s chat disconnected: commands cannot get through", listSep: ", ",
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
    timeout: { zh: "禁言中", en: "timed out" },
    exclusive: { zh: "包场中", en: "exclusive play" },
    blocked: { zh: "已拉黑", en: "blocked" },
    blocked_word: { zh: "含屏蔽词", en: "blocked word" },
    level: { zh: "等级不够", en: "level too low" },
    moderation: { zh: "房管操作", en: "moderation" },
    no_target: { zh: "找不到此人", en: "no such viewer" },
    masked_target: { zh: "匿名观众无法指定", en: "masked guest: cannot target" },
    gift: { zh: "感谢礼物", en: "thanks for the gift" },
    gift_capped: { zh: "礼物额度已满", en: "gift cap reached" },
    priority: { zh: "插队", en: "priority" },
    extra: { zh: "额外指令", en: "extra command" },
    voted: { zh: "已投票", en: "voted" },
    vote_repeat: { zh: "本轮已投过", en: "already voted" },
    vote_full: { zh: "投票人数已满", en: "vote full" },
    vote_won: { zh: "投票胜出", en: "vote winner" },
    vote_tie: { zh: "平票，保持不变", en: "tie: no change" },
    policy_vote: { zh: "模式投票", en: "mode vote" },
    policy: { zh: "模式已切换", en: "mode changed" },
    combo: { zh: "连招太长", en: "combo too long" },
    link: { zh: "聊天端与树莓派断线", en: "link lost" },
  };
  // Every class of a chat source's error (frame.sources[].error, danmu.ErrClass*), in both
  // languages: one line each, in this exact form, because TestSourceErrorTexts
  // (sources_e2e_test.go) reads this block and fails naming any class without both.
  const sourceErrors = {
    timeout: { zh: "连接超时", en: "timed out" },
    refused: { zh: "连接被拒", en: "connection refused" },
    dns: { zh: "域名解析失败", en: "DNS lookup failed" },
    network: { zh: "网络故障", en: "network error" },
    tls: { zh: "加密连接失败", en: "TLS failed" },
    closed: { zh: "连接被断开", en: "connection closed" },
    auth: { zh: "登录或密钥被拒", en: "login or key refused" },
    api: { zh: "平台接口出错", en: "platform API error" },
    not_found: { zh: "房间不存在", en: "no such room" },
    protocol: { zh: "协议错误", en: "protocol error" },
    other: { zh: "其他错误", en: "other error" },
  };
  // A wand's own words: its commands, and "resting" is a servo cooling, not a laser.
  const wandCommands = {
    zh: { up: "↑ 高", down: "↓ 低", wave: "〜 摇", flick: "↗ 甩", tease: "✧ 逗", hide: "◐ 藏", twitch: "≈ 抖", catch: "✋ 抓" },
    en: { up: "↑ up", down: "↓ down", wave: "〜 wave", flick: "↗ flick", tease: "✧ tease", hide: "◐ hide", twitch: "≈ twitch", catch: "✋ catch" },
  };
  const wandReasons = { resting: { zh: "舵机休息中", en: "servo resting" } };
  let wandRig = false;
  // labels: rules.yaml's label: of each command ({zh, en}), from the frames and /api/commands.
  let labels = {};
  const commands = {
    zh: { left: "← 左", right: "→ 右", up: "↑ 远", down: "↓ 近", center: "◎ 回中", laser: "✦ 激光", laser_off: "✧ 关灯",
      circle: "◯ 画圈", zigzag: "⚡ 之字", stop: "■ 停", resume: "▶ 继续",
      timeout: "禁言", untimeout: "解禁", exclusive: "包场", end_exclusive: "收场",
      // the shipped rules.yaml's room commands (a rule's own label: wins over these)
      mute: "禁言", unmute: "解禁", own: "包场", unown: "收场", pause: "暂停", unpause: "恢复",
      laser_forbid: "关激光", laser_allow: "开激光", mode: "模式", vote_mode: "投票模式", free_mode: "自由模式",
      superchat: "醒目留言", gift: "礼物", guard: "上舰" },
    en: { left: "← left", right: "→ right", up: "↑ far", down: "↓ near", center: "◎ center", laser: "✦ laser", laser_off: "✧ off",
      circle: "◯ circle", zigzag: "⚡ zigzag", stop: "■ stop", resume: "▶ resume",
      timeout: "time out", untimeout: "lift timeout", exclusive: "exclusive", end_exclusive: "end exclusive",
      mute: "time out", unmute: "lift timeout", own: "exclusive", unown: "end exclusive", pause: "pause", unpause: "unpause",
      laser_forbid: "laser forbidden", laser_allow: "laser allowed", mode: "mode", vote_mode: "vote mode", free_mode: "free mode",
      superchat: "super chat", gift: "gift", guard: "guard" },
  };
  const platforms = {
    zh: { bilibili: "B站", "bilibili-open": "B站开放平台", douyu: "斗鱼", console: "控制台", panel: "主播", vote: "投票", replay: "回放" },
    en: { bilibili: "Bilibili", "bilibili-open": "Bilibili Open Platform", douyu: "Douyu", console: "console", panel: "streamer", vote: "vote", replay: "replay" },
  };
  // byRoom: a decision the room made, not a viewer: a vote's result or a policy switch (platform
  // "vote"), the streamer's panel ("panel"). The engine names its user like its platform, an
  // internal word: the pages show the platform's label alone.
  const byRoom = (d) => !!d && (d.platform === "vote" || d.platform === "panel");
  // voteIdle: the vote policy runs but no window is open (nobody has voted yet: the first vote
  // opens one); the engine then says ends_in_ns 0, no voters, no tally.
  const voteIdle = (v) => !!v && !(v.voters > 0) && !(v.tally && v.tally.length > 0);
  function t(key) { return S[lang][key] || key; }
  // command names a rule: its label in this language, else the built-in table of the shipped
  // commands, else its label in the other language, else the rule's name.
  function command(c) {
    const l = Object.hasOwn(labels, c) ? labels[c] : null;
    const other = lang === "en" ? "zh" : "en";
    return (l && l[lang]) || (wandRig && wandCommands[lang][c]) || commands[lang][c] || (l && l[other]) || c;
  }
  // combo spells out a combo such as "left×3+up×2" with each part's name: "← 左×3 + ↑ 远×2".
  function combo(s) {
    return String(s).split("+").slice(0, 12).map((p) => {
      const m = /^(.+?)(×\d+)?$/.exec(p);
      return m ? command(m[1]) + (m[2] || "") : p;
    }).join(" + ");
  }
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
  // fill puts its arguments in place of a text's %s, in order: fill(t("srcRetry"), 3).
  function fill(text, ...args) { let i = 0; return text.replace(/%s/g, () => String(args[i++])); }
  // sourceError names a chat source's error class in words; an unknown class is shown as it is.
  function sourceError(c) { return Object.hasOwn(sourceErrors, c) ? sourceErrors[c][lang] : String(c); }
  function reason(r) { const x = (wandRig && wandReasons[r]) || reasonTexts[r]; return x ? x[lang] : r; }

  // isWand: the rig has aiming axes and no laser (a feather wand). A server too old to say
  // which switches are lasers, or a switch called "laser", make it a laser rig: the overlay
  // never hides a laser's state.
  function isWand(rig) {
    const axes = (rig && rig.axes) || [];
    if (axes.length === 0) return false;
    const sws = rig.switches || [];
    return sws.every((s) => "laser" in s && !s.laser && s.name !== "laser");
  }
  function wandAxes(rig) {
    const list = rig.axes || [];
    const pan = list.find((a) => a.name === rig.pan_axis) || list[0];
    let lift = list.find((a) => a.name === rig.tilt_axis);
    if (lift === pan) lift = undefined;
    return { pan, lift };
  }
  // wandWords says where the feather is, as the terminal view does: "left · low · moving right".
  function wandWords(rig) {
    const { pan, lift } = wandAxes(rig);
    if (!pan) return "";
    const w = [];
    const half = Math.max(pan.max - pan.home, pan.home - pan.min) || 1;
    const u = (pan.pos - pan.home) / half;
    w.push(t(u < -0.6 ? "farLeft" : u < -0.15 ? "leftW" : u <= 0.15 ? "centreW" : u <= 0.6 ? "rightW" : "farRight"));
    if (lift) {
      const v = (lift.pos - lift.min) / ((lift.max - lift.min) || 1);
      w.push(t(v < 0.08 ? "floorW" : v < 0.4 ? "lowW" : v < 0.7 ? "midW" : "highW"));
    }
    if (pan.target - pan.pos <= -0.05) w.push(t("movingLeft"));
    else if (pan.target - pan.pos >= 0.05) w.push(t("movingRight"));
    if (lift && lift.target - lift.pos >= 0.05) w.push(t("rising"));
    else if (lift && lift.target - lift.pos <= -0.05) w.push(t("dropping"));
    if (!pan.attached && (!lift || !lift.attached)) w.push(t("letGo"));
    if (pan.resting || (lift && lift.resting)) w.push(t("servoCooling"));
    return w.join(t("sep"));
  }
  function wandText(rig) { return t("wand") + t("colon") + wandWords(rig); }

  // drawWand draws the wand seen from above into svg (viewBox 0 0 100 100): the pivot, the sweep
  // range as a fan, the stick at the swing angle, the feather at its tip lifted above its shadow
  // by the lift, the target as a dashed stick, and a lift gauge. Built once, then updated.
  const NS = "http://www.w3.org/2000/svg";
  function svgEl(tag, attrs, parent) {
    const e = document.createElementNS(NS, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function drawWand(g, rig) {
    const { pan, lift } = wandAxes(rig);
    if (!pan) return;
    if (!g.dataset.built) {
      g.dataset.built = "1";
      g.replaceChildren();
      svgEl("path", { class: "wand-sweep" }, g);
      svgEl("path", { class: "wand-home" }, g);
      svgEl("line", { class: "wand-target" }, g);
      svgEl("ellipse", { class: "wand-shadow", rx: "4", ry: "1.6" }, g);
      svgEl("line", { class: "wand-stick" }, g);
      const f = svgEl("g", { class: "wand-feather" }, g);
      svgEl("path", { class: "vane", d: "M0 0 C -4.2 -3, -3.6 -11, 0 -15 C 3.6 -11, 4.2 -3, 0 0 Z" }, f);
      svgEl("path", { class: "rachis", d: "M0 2 L0 -14 M0 -4 L-2.6 -7 M0 -7 L2.6 -10 M0 -9 L-2.4 -12 M0 -5 L2.6 -8" }, f);
      svgEl("circle", { class: "wand-pivot", cx: "50", cy: "90", r: "2.2" }, g);
      const gauge = svgEl("g", { class: "wand-gauge" }, g);
      svgEl("line", { x1: "94", y1: "18", x2: "94", y2: "86" }, gauge);
      svgEl("circle", { class: "wand-lift", cx: "94", cy: "86", r: "1.8" }, gauge);
      svgEl("text", { class: "edge", x: "90", y: "21", "text-anchor": "end" }, gauge).textContent = t("wandHigh");
      svgEl("text", { class: "edge", x: "90", y: "87", "text-anchor": "end" }, gauge).textContent = t("wandLow");
      svgEl("text", { class: "edge wand-l", "text-anchor": "middle" }, g).textContent = t("left");
      svgEl("text", { class: "edge wand-r", "text-anchor": "middle" }, g).textContent = t("right");
    }
    const lim = Math.min(85, Math.max(Math.abs(pan.min), Math.abs(pan.max), 30));
    const R = Math.min(70, 40 / Math.sin((lim * Math.PI) / 180));
    const clampA = (v) => Math.max(-85, Math.min(85, v));
    const at = (deg, r) => {
      const a = (clampA(deg) * Math.PI) / 180;
      return [50 + r * Math.sin(a), 90 - r * Math.cos(a)];
    };
    const f2 = (p) => p[0].toFixed(2) + " " + p[1].toFixed(2);
    const [a0, a1] = [at(pan.min, R + 6), at(pan.max, R + 6)];
    const big = clampA(pan.max) - clampA(pan.min) > 180 ? 1 : 0;
    const q = (sel) => g.querySelector(sel);
    q(".wand-sweep").setAttribute("d", "M50 90 L" + f2(a0) + " A" + (R + 6) + " " + (R + 6) + " 0 " + big + " 1 " + f2(a1) + " Z");
    for (const [sel, p] of [[".wand-l", a0], [".wand-r", a1]]) {
      q(sel).setAttribute("x", Math.max(8, Math.min(86, p[0])).toFixed(2));
      q(sel).setAttribute("y", (p[1] + 6).toFixed(2));
    }
    q(".wand-home").setAttribute("d", "M" + f2(at(pan.home, R + 3)) + " L" + f2(at(pan.home, R + 9)));
    const v = lift ? (lift.pos - lift.min) / ((lift.max - lift.min) || 1) : 0.3;
    const vt = lift ? (lift.target - lift.min) / ((lift.max - lift.min) || 1) : v;
    const tip = at(pan.pos, R), raise = 16 * v;
    const feather = [tip[0], tip[1] - raise];
    const tt = at(pan.target, R);
    const tg = q(".wand-target");
    tg.setAttribute("x1", "50"); tg.setAttribute("y1", "90");
    tg.setAttribute("x2", tt[0].toFixed(2)); tg.setAttribute("y2", (tt[1] - 16 * vt).toFixed(2));
    const sh = q(".wand-shadow");
    sh.setAttribute("cx", tip[0].toFixed(2)); sh.setAttribute("cy", tip[1].toFixed(2));
    sh.style.opacity = String(0.55 - 0.35 * v);
    const st = q(".wand-stick");
    st.setAttribute("x1", "50"); st.setAttribute("y1", "90");
    st.setAttribute("x2", feather[0].toFixed(2)); st.setAttribute("y2", feather[1].toFixed(2));
    const ang = (Math.atan2(feather[0] - 50, 90 - feather[1]) * 180) / Math.PI;
    q(".wand-feather").setAttribute("transform", "translate(" + f2(feather) + ") rotate(" + ang.toFixed(1) + ")");
    q(".wand-lift").setAttribute("cy", (86 - 68 * v).toFixed(2));
    q(".wand-gauge").style.display = lift ? "" : "none";
    const limp = !pan.attached && (!lift || !lift.attached);
    g.classList.toggle("limp", limp);
    g.classList.toggle("resting", !!(pan.resting || (lift && lift.resting)));
    g.dataset.pan = pan.pos.toFixed(2);
    g.dataset.lift = lift ? lift.pos.toFixed(2) : "";
  }

  // laserSwitch picks a rig's laser: a switch the server flags "laser" (whatever its name: pointer,
  // 激光), lit ones first, then asked-for ones. A server that says of each switch whether it is a
  // laser and flags none has none (a wand's treat dispenser is not one). Only an older server,
  // which says nothing, gets the guess: the switch named "laser", else the first.
  function laserSwitch(sws) {
    const flagged = sws.filter((s) => s.laser);
    const lit = flagged.find((s) => s.on) || flagged.find((s) => s.requested) || flagged[0];
    if (lit || sws.some((s) => "laser" in s)) return lit || null;
    return sws.find((s) => s.name === "laser") || sws[0];
  }
  // laser describes a frame's laser (laserSwitch). "on" is what the driver was last sent (the
  // emitted state); "requested" is what play asked for (absent from older servers: then "on" is
  // all there is). Returns {sw, on, requested, blanked, reason, left}, where blanked means asked
  // for but held dark, reason why (a key of reasonTexts) and left the ms until that ends, when
  // known. now is our clock, f.offset the server's lead over it.
  function laser(f, now) {
    const rig = f.rig || {};
    const sw = laserSwitch(rig.switches || []);
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
  // at least). Each frame is a whole state. EventSource retries by itself after a network error,
  // but not after an answer other than 200 (a 503 when the server has its 16 streams, or this
  // client its 4; a proxy's 502), nor when the stream stays open and silent: then stream closes it and opens a new one,
  // RETRY_MIN ms later, twice as long after each failure up to RETRY_MAX, back to RETRY_MIN at a
  // frame. An overlay left open for hours comes back by itself.
  const STALE = 2500; // checked every 250 ms: offline within 3 s of the last frame
  const FIRST = 10000; // a new stream's first frame may take this long (a slow link) before it is given up
  const RETRY_MIN = 2000, RETRY_MAX = 30000;
  function stream(onFrame, onConn) {
    let lastRecv = 0, state = "", es = null, opened = 0, retry = RETRY_MIN, reopenAt = 0;
    const set = (s) => { if (s !== state) { state = s; onConn(s); } };
    // later schedules a new stream, unless one is scheduled already.
    const later = () => {
      if (reopenAt) return;
      reopenAt = Date.now() + retry;
      retry = Math.min(2 * retry, RETRY_MAX);
    };
    const open = () => {
      if (es) es.close();
      reopenAt = 0;
      opened = Date.now();
      const cur = es = new EventSource("/api/events");
      cur.addEventListener("error", () => {
        if (cur !== es) return;
        set("offline");
        if (cur.readyState === EventSource.CLOSED) later(); // refused: the browser gave up on it
      });
      cur.addEventListener("state", (ev) => {
        if (cur !== es) return;
        let f;
        try { f = JSON.parse(ev.data); } catch (e) { return; }
        f.recv = lastRecv = Date.now();
        f.offset = Date.parse(f.time) - f.recv;
        retry = RETRY_MIN;
        reopenAt = 0; // it delivers: a new stream planned while it was slow to start is not needed
        set("online");
        onFrame(f);
      });
    };
    open();
    setInterval(() => {
      const now = Date.now();
      const started = lastRecv >= opened; // this stream has sent a frame
      const silent = now - Math.max(lastRecv, opened);
      if (silent > STALE) set("offline"); // no frame from this stream: silent, or still trying
      if (silent > (started ? STALE : FIRST)) later();
      if (reopenAt && now >= reopenAt) open();
    }, 250);
  }
  window.CT = {
    lang, params, t, clock, dur, hhmmss, el, stream, reason, laser, laserText,
    isWand, wandWords, wandText, drawWand,
    setWand: (on) => { wandRig = !!on; },
    setLabels: (m) => { labels = m && typeof m === "object" ? m : {}; },
    command, combo,
    platform: (p) => platforms[lang][p] || p,
    fill, sourceError,
    byRoom, voteIdle,
  };
  document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  document.documentElement.dataset.lang = lang;
  window.addEventListener("DOMContentLoaded", () => {
    for (const e of document.querySelectorAll("[data-t]")) e.textContent = t(e.dataset.t);
  });
})();
