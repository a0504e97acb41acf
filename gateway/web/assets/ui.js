// StreamHive's web UI (served at "/"): the stream list, a stream's page
// (live player, inputs with their 24 h history charts, DVR timeline with
// range playback, sessions with kick, its events and alerts), the
// sessions, events and alerts pages, and the stream editor. It reads and writes
// the Control API (/streamer/api/v3) from the browser; when the API is
// protected it asks for the API's credentials in its own sign-in form and
// sends them as an Authorization header, kept in sessionStorage for the
// tab's life: never in a URL, never logged. No framework, no network but
// this server's: hls.js is the vendored copy beside this file.
//
// The views mark themselves ready (ready(), below) once their data has
// been drawn: the browser tests wait on it and read the time it took.
(function () {
  "use strict";

  const apiPrefix = "/streamer/api/v3";
  const authKey = "streamhive.api.authorization";
  const pollMs = 2000;
  const pageSize = 50;
  const app = document.getElementById("app");
  // hls.js is loaded by the first player, not with the page: the list
  // never needs it, and a stream's page draws its data meanwhile.
  const hlsURL = document.currentScript.dataset.hls;
  let hlsLoaded = null;

  function loadHLS() {
    if (!hlsLoaded) {
      hlsLoaded = new Promise((done, fail) => {
        const s = h("script", { src: hlsURL });
        s.addEventListener("load", () => done(window.Hls));
        s.addEventListener("error", () => { hlsLoaded = null; fail(new Error("hls.js did not load")); });
        document.head.append(s);
      });
    }
    return hlsLoaded;
  }

  // ---- DOM helpers: every text goes in as text, never as HTML.

  // h makes an element: attrs are attributes (on* keys: listeners),
  // children are nodes, strings or arrays of them; null is skipped.
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? "" : String(v));
    }
    append(el, children);
    return el;
  }

  function append(el, children) {
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      if (Array.isArray(c)) append(el, c);
      else el.append(c instanceof Node ? c : String(c));
    }
  }

  // ready marks the view drawn: app's data-ready is its name, and
  // data-ready-ms the milliseconds from the page's navigation to the first
  // view drawn (what a full load costs).
  function ready(view) {
    app.dataset.ready = view;
    if (!app.dataset.readyMs) app.dataset.readyMs = String(Math.round(performance.now()));
  }

  // ---- Formatting.

  function kbps(v) { return v ? v.toLocaleString() + " kbit/s" : "—"; }
  function bytes(n) {
    if (!n) return "0 B";
    const u = ["B", "KB", "MB", "GB", "TB"];
    let i = 0;
    while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return n.toFixed(i ? 1 : 0) + " " + u[i];
  }
  function duration(s) {
    s = Math.max(0, Math.round(s));
    const d = Math.floor(s / 86400), hh = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
    if (d) return d + "d " + hh + "h";
    if (hh) return hh + "h " + m + "m";
    if (m) return m + "m " + s % 60 + "s";
    return s + "s";
  }
  function clock(unixSeconds) { return new Date(unixSeconds * 1000).toLocaleString(); }
  // localInput is a datetime-local input's value for unixSeconds.
  function localInput(unixSeconds) {
    const d = new Date(unixSeconds * 1000);
    const p = (n) => String(n).padStart(2, "0");
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()) + "T" +
      p(d.getHours()) + ":" + p(d.getMinutes()) + ":" + p(d.getSeconds());
  }

  // pathOf is a stream's URL path: its name may hold slashes (live/cam1),
  // each element escaped.
  function pathOf(name) { return name.split("/").map(encodeURIComponent).join("/"); }
  function streamHash(name) { return "#/stream/" + encodeURIComponent(name); }

  // ---- The Control API, with its credentials.

  class APIError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  // base64 of UTF-8 text (btoa alone takes Latin-1 only).
  function base64(text) {
    let bin = "";
    for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
    return btoa(bin);
  }

  let signingIn = null; // the sign-in in progress, shared by every request that met a 401

  // signIn shows the sign-in form; it resolves true once credentials are
  // stored, false if the operator dismissed it.
  function signIn(why) {
    if (signingIn) return signingIn;
    const dlg = document.getElementById("login");
    const form = document.getElementById("login-form");
    document.getElementById("login-why").textContent = why;
    document.getElementById("login-error").textContent = "";
    signingIn = new Promise((done) => {
      const finish = (ok) => {
        form.removeEventListener("submit", submit);
        dlg.removeEventListener("cancel", cancel);
        signingIn = null;
        done(ok);
      };
      const submit = (e) => {
        e.preventDefault();
        const login = form.elements.login.value, password = form.elements.password.value;
        sessionStorage.setItem(authKey, "Basic " + base64(login + ":" + password));
        form.reset();
        dlg.close();
        showWho();
        finish(true);
      };
      const cancel = () => finish(false);
      form.addEventListener("submit", submit);
      dlg.addEventListener("cancel", cancel);
      dlg.showModal();
    });
    return signingIn;
  }

  function signOut() {
    sessionStorage.removeItem(authKey);
    showWho();
    route();
  }

  function showWho() {
    const who = document.getElementById("who");
    who.replaceChildren();
    if (sessionStorage.getItem(authKey)) {
      who.append("signed in to the API", h("button", { onclick: signOut }, "Sign out"));
    }
  }

  // api calls the Control API. The request goes without the browser's
  // own credentials (credentials: "omit"), so a 401 comes back here
  // instead of raising the browser's prompt: the sign-in form asks, and
  // the request is sent again.
  async function api(method, path, body) {
    for (;;) {
      const headers = { Accept: "application/json" };
      const auth = sessionStorage.getItem(authKey);
      if (auth) headers.Authorization = auth;
      const init = { method, headers, credentials: "omit", cache: "no-store" };
      if (body !== undefined) {
        headers["Content-Type"] = "application/json";
        init.body = JSON.stringify(body);
      }
      const resp = await fetch(apiPrefix + path, init);
      if (resp.status === 401) {
        if (auth) sessionStorage.removeItem(authKey);
        const why = auth ? "Wrong login or password: try again." : "The Control API is protected: sign in with its credentials.";
        if (await signIn(why)) continue;
        throw new APIError(401, "not signed in");
      }
      const text = await resp.text();
      let data = null;
      try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
      if (!resp.ok) {
        let msg = resp.status + " " + resp.statusText;
        if (data && data.errors && data.errors.length) msg = data.errors.map((x) => x.title || x.code).join("; ");
        if (resp.status === 403) msg += " (sign in with the edit_auth credentials to change things)";
        throw new APIError(resp.status, msg);
      }
      return data;
    }
  }

  // poll runs fn now and every ms (or ms() when a function) after the
  // last run ended, showing its
  // failure in errEl (an element, or a function given the message; ""
  // after a success), until the returned stop is called.
  function poll(fn, ms, errEl) {
    const show = typeof errEl === "function" ? errEl : (m) => { if (errEl) errEl.textContent = m; };
    let stopped = false, timer = 0;
    const tick = async () => {
      try {
        await fn();
        show("");
      } catch (e) {
        if (!stopped) show(e.message);
      }
      if (!stopped) timer = setTimeout(tick, typeof ms === "function" ? ms() : ms);
    };
    tick();
    return () => { stopped = true; clearTimeout(timer); };
  }

  // ---- Events, alerts and input health history: the API's /events,
  // /alerts and /input_history/NAME. Each hook draws into container and
  // returns a function that stops it.

  // shared runs one poller per key for however many views use it (the
  // stream page's events and alerts read the same /events): subscribe
  // gets every result, the poller stops with its last subscriber.
  function shared(start) {
    const feeds = new Map();
    return (key, onData) => {
      let f = feeds.get(key);
      if (!f) {
        f = { subs: new Set(), last: null, stop: null };
        feeds.set(key, f);
        f.stop = start(key, (data) => { f.last = data; for (const s of f.subs) s(data); });
      }
      f.subs.add(onData);
      if (f.last) onData(f.last);
      return () => {
        f.subs.delete(onData);
        if (!f.subs.size) { f.stop(); feeds.delete(key); }
      };
    };
  }

  // eventFeed polls /events with after= (the last ID seen) and hands on
  // {events: all kept so far, oldest first, sinks}: stream media's (the
  // server filters them), every stream's for media "". The first read
  // takes what the server keeps; later ones only what is new.
  const eventKeep = 1000;
  const eventFeed = shared((media, emit) => {
    let after = 0, kept = [];
    const failed = (msg) => { if (msg) emit({ events: kept, sinks: [], error: msg }); };
    return poll(async () => {
      const params = new URLSearchParams({ limit: after ? "1000" : String(eventKeep) });
      if (after) params.set("after", String(after));
      if (media) params.set("media", media);
      const data = await api("GET", "/events?" + params);
      const fresh = data.events || [];
      if (fresh.length) {
        after = fresh[fresh.length - 1].event_id;
        kept = kept.concat(fresh).slice(-eventKeep);
      }
      emit({ events: kept, sinks: data.event_sinks || [], fresh: fresh.length });
    }, pollMs, failed);
  });

  const alertFeed = shared((_, emit) => poll(async () => emit(await api("GET", "/alerts")), pollMs,
    (msg) => { if (msg) emit({ alerts: null, error: msg }); }));

  const eventCore = new Set(["event", "event_id", "utc_ms", "media"]);
  function eventDetails(e) {
    return Object.entries(e).filter(([k]) => !eventCore.has(k))
      .map(([k, v]) => k + "=" + (typeof v === "string" ? v : JSON.stringify(v))).join(" ");
  }
  function eventClass(name) {
    if (/lost|stopped|error|failed|refused|alert_fired/.test(name)) return "bad";
    if (/started|ready|opened|reloaded|cleared/.test(name)) return "running";
    return "waiting";
  }
  function timeMs(ms) { return new Date(ms).toLocaleTimeString(); }

  // eventsList draws the events (newest first, at most shown of them) of
  // one stream or every stream, and, for every stream, the sinks.
  function eventsList(container, streamName) {
    const shown = 200;
    const err = h("p", { class: "error" });
    const count = h("span", { class: "muted" });
    const rows = h("tbody");
    const sinks = h("tbody");
    const el = h("div", { class: "events", "data-hook": "events" },
      h("h3", {}, "Events ", count), err,
      h("div", { class: "scroll" }, h("table", { class: "events-list" },
        h("thead", {}, h("tr", {}, h("th", {}, "Time"), h("th", {}, "Event"),
          streamName ? null : h("th", {}, "Stream"), h("th", {}, "Details"))), rows)),
      streamName ? null : h("div", {}, h("h3", {}, "Event sinks"), h("table", { id: "event-sinks" },
        h("thead", {}, h("tr", {}, h("th", {}, "Sink"), h("th", {}, "URL"), h("th", { class: "num" }, "Queued"),
          h("th", { class: "num" }, "Delivered"), h("th", { class: "num" }, "Dropped"), h("th", { class: "num" }, "Failures"),
          h("th", {}, "Last error"))), sinks)));
    container.append(el);
    let newest = -1;
    return eventFeed(streamName || "", (data) => {
      err.textContent = data.error || "";
      if (data.error) return;
      const mine = data.events;
      const top = mine.length ? mine[mine.length - 1].event_id : 0;
      if (top !== newest) {
        newest = top;
        const list = mine.slice(-shown).reverse();
        rows.replaceChildren(...list.map((e) => h("tr", { "data-event": e.event, "data-event-id": e.event_id },
          h("td", {}, timeMs(e.utc_ms)), h("td", {}, h("span", { class: "badge " + eventClass(e.event) }, e.event)),
          streamName ? null : h("td", {}, e.media ? h("a", { href: streamHash(e.media) }, e.media) : h("span", { class: "muted" }, "server")),
          h("td", { class: "url" }, eventDetails(e)))));
        if (!list.length) rows.append(h("tr", {}, h("td", { colspan: 4, class: "muted" }, "No events yet.")));
        count.textContent = mine.length > shown ? "(newest " + shown + " of " + mine.length + ")" : "(" + mine.length + ")";
      }
      if (!streamName) {
        sinks.replaceChildren(...data.sinks.map((s) => h("tr", { "data-sink": s.name },
          h("td", {}, s.name), h("td", { class: "url" }, s.url || ""), h("td", { class: "num" }, (s.queued || 0) + " / " + (s.queue_limit || 0)),
          h("td", { class: "num" }, String(s.delivered || 0)), h("td", { class: "num" + (s.dropped ? " error" : "") }, String(s.dropped || 0)),
          h("td", { class: "num" }, String(s.failures || 0)), h("td", { class: "error" }, s.last_error || ""))));
        if (!data.sinks.length) sinks.append(h("tr", {}, h("td", { colspan: 7, class: "muted" }, "No event_sink configured.")));
      }
      el.dataset.drawn = String(mine.length);
    });
  }

  // alertsList draws the alerts firing now (from /alerts) and those
  // fired and cleared lately (the alert events in /events), of one
  // stream or every one.
  function alertsList(container, streamName) {
    const err = h("p", { class: "error" });
    const firing = h("tbody");
    const past = h("tbody");
    const el = h("div", { class: "alerts", "data-hook": "alerts" },
      h("h3", {}, "Alerts"), err,
      h("table", { class: "alerts-list" },
        h("thead", {}, h("tr", {}, h("th", {}, "State"), h("th", {}, "Rule"), streamName ? null : h("th", {}, "Stream"),
          h("th", {}, "Subject"), h("th", {}, "Message"), h("th", {}, "Since"))), firing),
      h("h3", {}, "Alert history"),
      h("table", { class: "alert-history" },
        h("thead", {}, h("tr", {}, h("th", {}, "Time"), h("th", {}, "Event"), h("th", {}, "Rule"),
          streamName ? null : h("th", {}, "Stream"), h("th", {}, "Subject"), h("th", {}, "Message"))), past));
    container.append(el);
    const cols = streamName ? 5 : 6;
    const stopAlerts = alertFeed("all", (data) => {
      err.textContent = data.error || "";
      if (!data.alerts) return;
      const mine = data.alerts.filter((a) => !streamName || a.media === streamName);
      firing.replaceChildren(...mine.map((a) => h("tr", { "data-alert": a.rule, "data-state": "firing" },
        h("td", {}, h("span", { class: "badge bad" }, "firing")), h("td", {}, a.rule),
        streamName ? null : h("td", {}, a.media ? h("a", { href: streamHash(a.media) }, a.media) : h("span", { class: "muted" }, "server")),
        h("td", {}, a.subject || ""), h("td", {}, a.message || ""),
        h("td", {}, new Date(a.since).toLocaleString(), h("div", { class: "muted" }, "fired " + new Date(a.fired).toLocaleTimeString())))));
      if (!mine.length) firing.append(h("tr", {}, h("td", { colspan: cols, class: "muted" }, "No alert firing.")));
      el.dataset.firing = String(mine.length);
    });
    const stopEvents = eventFeed(streamName || "", (data) => {
      if (data.error) return;
      const mine = data.events.filter((e) => e.event === "alert_fired" || e.event === "alert_cleared").slice(-50).reverse();
      past.replaceChildren(...mine.map((e) => h("tr", { "data-alert": e.alert, "data-state": e.event === "alert_fired" ? "fired" : "cleared" },
        h("td", {}, timeMs(e.utc_ms)),
        h("td", {}, e.event === "alert_fired" ? h("span", { class: "badge bad" }, "fired") : h("span", { class: "badge running" }, "cleared")),
        h("td", {}, e.alert || ""),
        streamName ? null : h("td", {}, e.media ? h("a", { href: streamHash(e.media) }, e.media) : h("span", { class: "muted" }, "server")),
        h("td", {}, e.subject || ""), h("td", {}, e.message || ""))));
      if (!mine.length) past.append(h("tr", {}, h("td", { colspan: cols + 1, class: "muted" }, "No alert fired lately.")));
    });
    return () => { stopAlerts(); stopEvents(); };
  }

  // historyFeed polls one stream's /input_history every 30 s (a point is
  // a minute, so more often shows nothing new), every pollMs until the
  // monitor has sampled the stream (it samples every few seconds).
  const historyMs = 30000;
  const historyFeed = shared((name, emit) => {
    let sampled = false;
    return poll(async () => {
      try {
        const data = await api("GET", "/input_history/" + pathOf(name));
        sampled = (data.inputs || []).length > 0;
        emit(data);
      } catch (e) { // 404: not sampled yet
        sampled = false;
        emit({ inputs: [], error: e.status === 404 ? "No history yet." : e.message });
      }
    }, () => sampled ? historyMs : pollMs, null);
  });

  // The chart's spans: the last hour by default (a fresh server has
  // minutes of history), up to the 24 h kept.
  const historySpans = [["1 h", 60], ["6 h", 360], ["24 h", 1440]];

  // historyChart draws one input's bitrate (an area, gaps where no
  // sample) and errors (red bars, their own scale) per minute on a
  // canvas.
  function historyChart(container, streamName, inputIndex) {
    const canvas = h("canvas", { class: "history-chart", width: 600, height: 90 });
    const legend = h("div", { class: "muted history-legend" });
    const spanSel = h("select", { class: "history-span" },
      historySpans.map(([label, m]) => h("option", { value: m }, label)));
    const el = h("div", { class: "history card", "data-hook": "input-history", "data-input": inputIndex },
      h("div", { class: "toolbar" }, h("strong", {}, "Input " + inputIndex), legend, h("span", { class: "grow" }), spanSel),
      canvas);
    container.append(el);
    let points = null;
    spanSel.addEventListener("change", () => draw());
    function draw() {
      if (!points) return;
      const span = Number(spanSel.value);
      const pts = points.slice(-span);
      const dpr = window.devicePixelRatio || 1;
      const cssW = canvas.clientWidth || 600, cssH = 90;
      canvas.width = Math.round(cssW * dpr);
      canvas.height = Math.round(cssH * dpr);
      const g = canvas.getContext("2d");
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.clearRect(0, 0, cssW, cssH);
      const top = 6, base = cssH - 16, w = cssW / Math.max(1, pts.length);
      let maxRate = 0, maxErr = 0, errSum = 0, samples = 0;
      for (const p of pts) {
        if (p.bitrate !== null) { maxRate = Math.max(maxRate, p.bitrate); samples++; }
        maxErr = Math.max(maxErr, p.errors);
        errSum += p.errors;
      }
      g.strokeStyle = "#dde1e7";
      g.beginPath(); g.moveTo(0, base + 0.5); g.lineTo(cssW, base + 0.5); g.stroke();
      const y = (v) => base - (maxRate ? v / maxRate : 0) * (base - top);
      g.fillStyle = "rgba(29, 78, 216, 0.25)";
      g.strokeStyle = "#1d4ed8";
      let run = [];
      const flush = () => {
        if (!run.length) return;
        g.beginPath();
        g.moveTo(run[0][0], base);
        for (const [x, yy] of run) g.lineTo(x, yy);
        g.lineTo(run[run.length - 1][0] + w, run[run.length - 1][1]);
        g.lineTo(run[run.length - 1][0] + w, base);
        g.closePath();
        g.fill();
        g.beginPath();
        g.moveTo(run[0][0], run[0][1]);
        for (const [x, yy] of run) g.lineTo(x, yy);
        g.lineTo(run[run.length - 1][0] + w, run[run.length - 1][1]);
        g.stroke();
        run = [];
      };
      pts.forEach((p, i) => { if (p.bitrate === null) flush(); else run.push([i * w, y(p.bitrate)]); });
      flush();
      g.fillStyle = "#b91c1c";
      pts.forEach((p, i) => {
        if (!p.errors) return;
        const bh = Math.max(2, p.errors / maxErr * (base - top) * 0.5);
        g.fillRect(i * w, base - bh, Math.max(1, w - 0.5), bh);
      });
      g.fillStyle = "#6b7280";
      g.font = "11px system-ui, sans-serif";
      g.textBaseline = "bottom";
      g.fillText(spanSel.selectedOptions[0].textContent + " ago", 2, cssH);
      g.textAlign = "right";
      g.fillText("now", cssW - 2, cssH);
      g.textBaseline = "top";
      g.fillText(maxRate ? kbps(Math.round(maxRate / 1000)) + " peak" : "no bitrate", cssW - 2, 0);
      legend.textContent = samples + " of " + pts.length + " minutes sampled, " + errSum + " errors";
      el.dataset.points = String(pts.length);
      el.dataset.samples = String(samples);
    }
    return historyFeed(streamName, (data) => {
      const inp = (data.inputs || []).find((x) => x.input === inputIndex);
      if (!inp) {
        legend.textContent = data.error || "No history for this input yet.";
        return;
      }
      points = inp.points || [];
      canvas.title = inp.url || "";
      draw();
    });
  }

  const hooks = {
    inputHistory: historyChart,
    events: eventsList,
    alerts: alertsList,
  };

  // ---- Stream health as the list and the stream page show it.

  function statusOf(st) {
    if (!st) return "stopped";
    if (st.alive) return "running";
    return st.status || "stopped";
  }

  function badge(status) { return h("span", { class: "badge " + status }, status); }

  // inputErrors sums the errors the inputs report (failures, drops, and
  // the MPEG-TS counters of TS inputs).
  function inputErrors(inp) {
    let n = inp.errors || 0;
    if (inp.ts) n += inp.ts.cc_errors + inp.ts.transport_errors + inp.ts.sync_errors;
    return n;
  }

  // problems lists what is wrong with a stream, worst first.
  function problems(s) {
    const st = s.stats || {}, out = [];
    const ins = st.inputs || [];
    if (st.coder_error) out.push("transcoder failed");
    if (st.transcoder_overloaded) out.push("transcoder behind real time");
    if (st.dvr_info && st.dvr_info.disk_status && st.dvr_info.disk_status !== "ok") out.push("DVR disk " + st.dvr_info.disk_status);
    const errs = ins.reduce((n, inp) => n + inputErrors(inp), 0);
    if (errs) out.push(errs + " input errors");
    const last = ins.map((inp) => inp.last_error).filter(Boolean);
    if (last.length) out.push(last[0]);
    return out;
  }

  function activeInput(s) {
    const st = s.stats || {};
    if (st.active_input === undefined || st.active_input === null) return h("span", { class: "muted" }, "none");
    const i = st.active_input, cfg = (s.inputs || [])[i] || {};
    return h("span", {}, "#" + i + " ", h("span", { class: "url" }, cfg.url || ""));
  }

  // ---- The stream list: a page of the API's list at a time (its cursor),
  // refreshed every pollMs, so that 10,000 streams cost one page.

  function viewList() {
    let q = "", cursor = "", last = null;
    const err = h("p", { class: "error" });
    const count = h("span", { class: "muted", id: "stream-count" });
    const rows = h("tbody");
    const prev = h("button", { id: "prev", disabled: true, onclick: () => { cursor = last.prev; load(); } }, "‹ Previous");
    const next = h("button", { id: "next", disabled: true, onclick: () => { cursor = last.next; load(); } }, "Next ›");
    let typing = 0;
    const search = h("input", {
      type: "search", id: "search", placeholder: "Search by name or title",
      oninput: () => { clearTimeout(typing); typing = setTimeout(() => { q = search.value.trim(); cursor = ""; load(); }, 250); },
    });
    app.append(
      h("h1", {}, "Streams"),
      h("div", { class: "toolbar" }, search, count, h("span", { class: "grow" }), h("a", { class: "button", href: "#/new" }, "New stream")),
      err,
      h("table", { id: "streams" },
        h("thead", {}, h("tr", {},
          h("th", {}, "Stream"), h("th", {}, "Status"), h("th", {}, "Active input"),
          h("th", { class: "num" }, "Bitrate"), h("th", { class: "num" }, "Errors"), h("th", {}, "Health"),
          h("th", { class: "num" }, "Clients"), h("th", { class: "num" }, "DVR"))),
        rows),
      h("div", { class: "pager" }, prev, next));

    async function load() {
      const params = new URLSearchParams({ limit: String(pageSize) });
      if (q) params.set("q", q);
      if (cursor) params.set("cursor", cursor);
      const data = await api("GET", "/streams?" + params);
      last = data;
      const streams = data.streams || [];
      count.textContent = (data.estimated_count || 0).toLocaleString() + " streams";
      rows.replaceChildren(...streams.map(listRow));
      if (!streams.length) rows.append(h("tr", {}, h("td", { colspan: 8, class: "muted" }, "No streams.")));
      prev.disabled = !data.prev;
      next.disabled = !data.next;
      ready("list");
    }
    return poll(load, pollMs, err);
  }

  function listRow(s) {
    const st = s.stats || {};
    const ins = st.inputs || [];
    const errs = ins.reduce((n, inp) => n + inputErrors(inp), 0);
    const probs = problems(s);
    return h("tr", { "data-stream": s.name },
      h("td", {}, h("a", { href: streamHash(s.name) }, s.name), s.title ? h("div", { class: "muted" }, s.title) : null),
      h("td", {}, badge(statusOf(st))),
      h("td", { class: "url" }, activeInput(s)),
      h("td", { class: "num" }, kbps(st.bitrate)),
      h("td", { class: "num" + (errs ? " error" : "") }, String(errs)),
      h("td", {}, probs.length ? h("span", { class: "error" }, probs.join("; ")) : h("span", { class: "muted" }, "ok")),
      h("td", { class: "num" }, String(st.online_clients || 0)),
      h("td", { class: "num" }, st.dvr_info ? duration(st.dvr_info.depth) : "—"));
  }

  // ---- A stream's page.

  // player plays HLS URLs in video with hls.js (or the browser's own HLS).
  function player(video, statusEl) {
    let hls = null, opened = 0;
    function close() {
      opened++; // a player still loading hls.js does not start
      if (hls) { hls.destroy(); hls = null; }
      video.removeAttribute("src");
      video.load();
    }
    async function open(url, lowLatency) {
      close();
      const mine = opened;
      statusEl.textContent = "";
      let Hls = null;
      try {
        Hls = await loadHLS();
      } catch (e) {
        statusEl.textContent = e.message;
      }
      if (mine !== opened) return; // closed or reopened meanwhile
      if (Hls && Hls.isSupported()) {
        hls = new Hls({ lowLatencyMode: lowLatency });
        hls.on(Hls.Events.ERROR, (_, d) => {
          if (d.fatal) statusEl.textContent = "Player: " + d.type + " " + d.details;
        });
        hls.loadSource(url);
        hls.attachMedia(video);
      } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
        video.src = url;
      } else {
        statusEl.textContent = "This browser plays no HLS.";
        return;
      }
      video.play().catch(() => {}); // muted: autoplay is allowed
    }
    return { open, close };
  }

  function viewStream(name) {
    // The first read goes out before the page is built (its video element
    // alone takes a while on a busy machine); the poller's first run awaits it.
    let first = api("GET", "/streams/" + pathOf(name));
    first.catch(() => {}); // awaited below: its failure is shown there
    const stops = [];
    const base = "/" + pathOf(name) + "/";
    const err = h("p", { class: "error" });
    const status = h("span", {});
    const title = h("div", { class: "muted" });
    const video = h("video", { id: "video", controls: true, muted: true, playsinline: true, autoplay: true });
    video.muted = true;
    const playStatus = h("p", { class: "error", id: "player-status" });
    const play = player(video, playStatus);
    stops.push(play.close);
    const mode = h("select", { id: "mode" },
      h("option", { value: "hls" }, "Live HLS"), h("option", { value: "ll" }, "Live LL-HLS"));
    const playing = h("span", { class: "muted", id: "playing" });
    function live() {
      const ll = mode.value === "ll";
      play.open(base + (ll ? "index.ll.m3u8" : "index.m3u8"), ll);
      playing.textContent = ll ? "live, low latency" : "live";
    }
    mode.addEventListener("change", live);
    function archive(from, dur) {
      from = Math.floor(from);
      dur = Math.max(1, Math.floor(dur));
      play.open(base + "archive-" + from + "-" + dur + ".m3u8", false);
      playing.textContent = "archive " + clock(from) + " + " + duration(dur);
    }

    const info = h("dl", { class: "kv", id: "info" });
    const inputs = h("tbody");
    const history = h("div", { id: "input-history" });
    const dvr = h("div", { id: "dvr" }, h("p", { class: "muted" }, "No DVR for this stream."));
    const sessions = sessionsTable(name);
    const events = h("div", {});
    const actionErr = h("p", { class: "error" });

    async function stopStream() {
      try { await api("POST", "/streams/" + pathOf(name) + "/stop"); } catch (e) { actionErr.textContent = e.message; }
    }
    async function deleteStream() {
      if (!confirm("Delete stream " + name + " from the configuration?")) return;
      try {
        await api("DELETE", "/streams/" + pathOf(name));
        location.hash = "#/";
      } catch (e) { actionErr.textContent = e.message; }
    }

    app.append(
      h("div", { class: "toolbar" },
        h("h1", {}, name), status, h("span", { class: "grow" }),
        h("a", { class: "button", href: "#/edit/" + encodeURIComponent(name) }, "Edit"),
        h("button", { id: "restart", onclick: stopStream }, "Restart"),
        h("button", { class: "danger", onclick: deleteStream }, "Delete")),
      title, err, actionErr,
      h("div", { class: "grid" },
        h("div", {},
          h("div", { class: "card" }, video,
            h("div", { class: "toolbar" }, mode, h("button", { id: "live", onclick: () => { mode.value = "hls"; live(); } }, "Live"), playing),
            playStatus),
          h("h2", {}, "DVR"), h("div", { class: "card" }, dvr)),
        h("div", {},
          h("div", { class: "card" }, info),
          h("h2", {}, "Inputs"),
          h("table", { id: "inputs" }, h("thead", {}, h("tr", {},
            h("th", {}, "#"), h("th", {}, "URL"), h("th", {}, "Status"), h("th", { class: "num" }, "Bitrate"),
            h("th", { class: "num" }, "Errors"), h("th", {}, "Last error"))), inputs),
          history,
          h("h2", {}, "Events and alerts"), events)),
      h("h2", {}, "Sessions"), sessions.el);

    // The rest of the page (the player and its hls.js, sessions, alerts,
    // events, history) starts once the stream's own data is drawn: what
    // the operator sees first does not wait on it, on a busy machine either.
    let left = false, rest = false;
    function startRest() {
      if (left || rest) return;
      rest = true;
      stops.push(sessions.start(), hooks.alerts(events, name) || null, hooks.events(events, name) || null);
      live();
    }

    let drawnInputs = -1, timeline = null, charts = [];
    stops.push(() => { for (const c of charts) c(); });
    const load = async () => {
      const pending = first;
      first = null;
      const s = await (pending || api("GET", "/streams/" + pathOf(name)));
      const st = s.stats || {};
      status.replaceChildren(badge(statusOf(st)));
      title.textContent = s.title || "";
      drawInfo(info, s);
      inputs.replaceChildren(...(s.inputs || []).map((cfg, i) => inputRow(cfg, (st.inputs || [])[i] || {}, i)));
      if (drawnInputs !== (s.inputs || []).length) { // the history charts stay across refreshes
        drawnInputs = (s.inputs || []).length;
        for (const c of charts) c();
        history.replaceChildren(h("h2", {}, "Input history"));
        charts = [];
        for (let i = 0; i < drawnInputs; i++) charts.push(hooks.inputHistory(history, name, i) || (() => {}));
      }
      if (st.dvr_info) {
        if (!timeline) {
          timeline = dvrTimeline(archive);
          dvr.replaceChildren(timeline.el);
        }
        timeline.draw(st.dvr_info);
      }
      ready("stream");
      startRest();
    };
    stops.push(poll(load, pollMs, (msg) => {
      err.textContent = msg;
      if (msg) startRest(); // the stream may be gone: its sessions and events may not
    }));
    return () => { left = true; for (const s of stops) if (s) s(); };
  }

  function drawInfo(dl, s) {
    const st = s.stats || {};
    const rows = [
      ["Status", statusOf(st) + (st.lifetime ? " for " + duration(st.lifetime / 1000) : "")],
      ["Bitrate", kbps(st.bitrate)],
      ["Clients", String(st.online_clients || 0)],
      ["Input switches", String(st.input_switches || 0) + (st.last_switch_reason ? " (" + st.last_switch_reason + ")" : "")],
    ];
    for (const t of (st.media_info && st.media_info.tracks) || []) {
      rows.push(["Track " + t.track_id, t.codec + (t.width ? " " + t.width + "×" + t.height + (t.fps ? " @" + t.fps : "") : "") +
        (t.sample_rate ? " " + t.sample_rate + " Hz" : "") + (t.bitrate ? ", " + kbps(t.bitrate) : "")]);
    }
    const probs = problems(s);
    rows.push(["Health", probs.length ? probs.join("; ") : "ok"]);
    dl.replaceChildren(...rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
  }

  function inputRow(cfg, st, i) {
    const errs = inputErrors(st);
    return h("tr", { "data-input": i },
      h("td", {}, String(i), st.active ? " ▶" : ""),
      h("td", { class: "url" }, cfg.url || ""),
      h("td", {}, st.status ? badge(st.status) : h("span", { class: "muted" }, "—")),
      h("td", { class: "num" }, kbps(st.bitrate)),
      h("td", { class: "num" + (errs ? " error" : "") }, String(errs)),
      h("td", { class: "error" }, st.last_error || ""));
  }

  // dvrTimeline draws the archive's ranges from its first record to now;
  // a click plays from that moment to the end of its range, and the form
  // plays any range typed in. play(from, duration) opens the archive.
  function dvrTimeline(play) {
    const bar = h("div", { class: "timeline", id: "timeline", title: "Click to play the archive from there" });
    const scale = h("div", { class: "timeline-scale" });
    const summary = h("p", { class: "muted", id: "dvr-summary" });
    const list = h("tbody");
    const fromIn = h("input", { type: "datetime-local", step: "1", id: "range-from" });
    const durIn = h("input", { type: "number", min: "1", value: "60", id: "range-duration" });
    let info = null, span = [0, 1];
    bar.addEventListener("click", (e) => {
      if (!info) return;
      const r = bar.getBoundingClientRect();
      const t = span[0] + (e.clientX - r.left) / r.width * (span[1] - span[0]);
      const hit = info.ranges.find((x) => t < x.from + x.duration);
      if (!hit) return;
      const from = Math.max(t, hit.from);
      play(from, hit.from + hit.duration - from);
    });
    const form = h("form", {
      class: "toolbar",
      onsubmit: (e) => {
        e.preventDefault();
        const from = new Date(fromIn.value).getTime() / 1000;
        if (!isNaN(from)) play(from, Number(durIn.value) || 60);
      },
    }, "From", fromIn, "for", durIn, "s", h("button", { type: "submit", id: "play-range" }, "Play range"));
    const el = h("div", {}, summary, bar, scale, form,
      h("table", { id: "ranges" }, h("thead", {}, h("tr", {}, h("th", {}, "From"), h("th", {}, "Duration"), h("th", {}, ""))), list));

    function draw(d) {
      info = d;
      const now = Date.now() / 1000;
      span = [d.from || now - 60, Math.max(now, d.from + d.depth)];
      const w = span[1] - span[0] || 1;
      summary.textContent = "Depth " + duration(d.depth) + ", recorded " + duration(d.duration) + ", " + bytes(d.bytes) +
        (d.disk_status ? ", disk " + d.disk_status : "");
      bar.replaceChildren(...(d.ranges || []).map((x) => {
        const seg = h("div", { class: "range" });
        seg.style.left = ((x.from - span[0]) / w * 100) + "%";
        seg.style.width = Math.max(0.2, x.duration / w * 100) + "%";
        return seg;
      }));
      scale.replaceChildren(h("span", {}, clock(span[0])), h("span", {}, clock(span[1])));
      if (!fromIn.value && d.from) fromIn.value = localInput(d.from);
      list.replaceChildren(...(d.ranges || []).slice(-20).reverse().map((x) => h("tr", {},
        h("td", {}, clock(x.from)), h("td", {}, duration(x.duration)),
        h("td", {}, h("button", { onclick: () => play(x.from, x.duration) }, "Play")))));
    }
    return { el, draw };
  }

  // ---- Sessions: every stream's (the Sessions page) or one's.

  // sessionsTable lists the sessions and, from start() (which returns its
  // stop), refreshes them; drawn is called after each refresh.
  function sessionsTable(streamName, drawn) {
    const err = h("p", { class: "error" });
    const rows = h("tbody");
    const el = h("div", {}, err, h("table", { class: "sessions" },
      h("thead", {}, h("tr", {},
        h("th", {}, "Session"), streamName ? null : h("th", {}, "Stream"), h("th", {}, "Protocol"), h("th", {}, "Client"),
        h("th", {}, "Opened"), h("th", { class: "num" }, "Sent"), h("th", {}, ""))), rows));
    async function kick(id) {
      try {
        await api("DELETE", "/sessions/" + encodeURIComponent(id));
        await load();
      } catch (e) { err.textContent = e.message; }
    }
    async function load() {
      const params = new URLSearchParams({ limit: "200" });
      if (streamName) params.set("name", streamName);
      const data = await api("GET", "/sessions?" + params);
      const list = data.sessions || [];
      rows.replaceChildren(...list.map((s) => h("tr", { "data-session": s.id },
        h("td", { class: "url" }, s.id), streamName ? null : h("td", {}, h("a", { href: streamHash(s.name) }, s.name)),
        h("td", {}, s.proto || ""), h("td", {}, s.ip || "", s.user_agent ? h("div", { class: "muted" }, s.user_agent) : null),
        h("td", {}, clock(s.opened_at / 1000)), h("td", { class: "num" }, bytes(s.bytes)),
        h("td", {}, h("button", { class: "danger kick", onclick: () => kick(s.id) }, "Kick")))));
      if (!list.length) rows.append(h("tr", {}, h("td", { colspan: 7, class: "muted" }, "No sessions.")));
      if (data.estimated_count > list.length) rows.append(h("tr", {}, h("td", { colspan: 7, class: "muted" },
        "First " + list.length + " of " + data.estimated_count + " sessions.")));
      if (drawn) drawn();
    }
    return { el, start: () => poll(load, pollMs, err) };
  }

  function viewSessions() {
    const t = sessionsTable(null, () => ready("sessions"));
    app.append(h("h1", {}, "Sessions"), t.el);
    return t.start();
  }

  // ---- The stream editor: a new stream, or an existing one's config.
  // The form holds the common fields; "Other settings" holds the rest of
  // the stream's config as JSON, so nothing the form lacks is lost. The
  // stream is saved whole (PUT with "$reset"), as the form shows it.

  function viewEdit(name) {
    const editing = name !== null;
    const err = h("p", { class: "error", id: "form-error" });
    const f = {
      name: h("input", { type: "text", name: "name", id: "f-name", required: true, readonly: editing, value: name || "", placeholder: "live/cam1" }),
      title: h("input", { type: "text", name: "title", id: "f-title" }),
      inputs: h("textarea", { name: "inputs", id: "f-inputs", rows: 4, placeholder: "fake://\nrtmp://origin/live/cam1" }),
      dvrRoot: h("input", { type: "text", name: "dvr_root", id: "f-dvr-root", placeholder: "/storage (empty: no DVR)" }),
      dvrDepth: h("input", { type: "number", name: "dvr_depth", id: "f-dvr-depth", min: "0", placeholder: "seconds" }),
      other: h("textarea", { name: "other", id: "f-other", rows: 8 }),
    };
    let current = {}; // the stream's config as loaded, less what the form shows
    const save = h("button", { type: "submit", class: "primary", id: "save" }, editing ? "Save" : "Create");
    const form = h("form", { class: "edit card", onsubmit: submit },
      h("label", { for: "f-name" }, "Name"), f.name,
      h("label", { for: "f-title" }, "Title"), f.title,
      h("label", { for: "f-inputs" }, "Inputs (one URL a line, the first is the main one)"), f.inputs,
      h("label", { for: "f-dvr-root" }, "DVR root"), f.dvrRoot,
      h("label", { for: "f-dvr-depth" }, "DVR depth (seconds)"), f.dvrDepth,
      h("label", { for: "f-other" }, "Other settings (JSON)"), f.other,
      err, h("div", { class: "toolbar" }, save,
        h("a", { href: editing ? streamHash(name) : "#/" }, "Cancel")));
    app.append(h("h1", {}, editing ? "Edit " + name : "New stream"), form);

    if (editing) {
      api("GET", "/streams/" + pathOf(name)).then((s) => {
        delete s.stats;
        delete s.name;
        f.title.value = s.title || "";
        f.inputs.value = (s.inputs || []).map((x) => x.url).join("\n");
        if (s.dvr) {
          f.dvrRoot.value = s.dvr.root || "";
          f.dvrDepth.value = s.dvr.expiration || "";
        }
        current = s;
        const rest = Object.assign({}, s);
        delete rest.title;
        delete rest.inputs;
        f.other.value = JSON.stringify(rest, null, 2);
        ready("edit");
      }, (e) => { err.textContent = e.message; });
    } else {
      f.other.value = "{}";
      ready("edit");
    }

    async function submit(e) {
      e.preventDefault();
      err.textContent = "";
      const streamName = f.name.value.trim();
      let body;
      try {
        body = JSON.parse(f.other.value.trim() || "{}");
        if (typeof body !== "object" || Array.isArray(body) || body === null) throw new Error("not an object");
      } catch (x) {
        err.textContent = "Other settings: not a JSON object (" + x.message + ")";
        return;
      }
      const title = f.title.value.trim();
      if (title) body.title = title;
      // An input keeps its options (priority, headers, ...) while its URL stays.
      const old = current.inputs || [];
      body.inputs = f.inputs.value.split("\n").map((u) => u.trim()).filter(Boolean)
        .map((url) => old.find((x) => x.url === url) || { url });
      const root = f.dvrRoot.value.trim();
      if (root) {
        body.dvr = Object.assign({}, body.dvr || {}, { root });
        const depth = Number(f.dvrDepth.value);
        if (depth > 0) body.dvr.expiration = depth;
      } else {
        delete body.dvr;
      }
      body.$reset = true;
      save.disabled = true;
      try {
        await api("PUT", "/streams/" + pathOf(streamName), body);
        location.hash = streamHash(streamName);
      } catch (x) {
        err.textContent = x.message;
      } finally {
        save.disabled = false;
      }
    }
    return null;
  }

  // ---- Events and alerts pages: every stream's.

  function viewHook(title, hook) {
    app.append(h("h1", {}, title));
    const stop = hook(app, null);
    ready(title.toLowerCase());
    return stop || null;
  }

  // ---- Routing: #/, #/stream/NAME, #/edit/NAME, #/new, #/sessions,
  // #/events, #/alerts.

  let leave = null;

  function route() {
    if (leave) leave();
    leave = null;
    delete app.dataset.ready;
    app.replaceChildren();
    const path = location.hash.replace(/^#/, "") || "/";
    let m;
    if (path === "/") leave = viewList();
    else if ((m = /^\/stream\/(.+)$/.exec(path))) leave = viewStream(decodeURIComponent(m[1]));
    else if ((m = /^\/edit\/(.+)$/.exec(path))) leave = viewEdit(decodeURIComponent(m[1]));
    else if (path === "/new") leave = viewEdit(null);
    else if (path === "/sessions") leave = viewSessions();
    else if (path === "/events") leave = viewHook("Events", hooks.events);
    else if (path === "/alerts") leave = viewHook("Alerts", hooks.alerts);
    else app.append(h("p", {}, "No such page. ", h("a", { href: "#/" }, "Streams")));
  }

  window.addEventListener("hashchange", route);
  window.StreamHiveUI = { hooks, api }; // for connecting hooks from another script
  showWho();
  route();
})();
