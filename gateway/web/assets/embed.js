// StreamHive's embed player (/NAME/embed.html): opens the URL the server
// chose with the player it chose (hls.js, dash.js, MSE-LD or WebRTC over
// WHEP) and applies the page's options. When the page is inside an
// iframe it posts its state to the parent every 250 ms (progress, stalls,
// hls.js's live latency, its last seeks and stalls), so that the embedding site (or a test, or
// bench/latency) can follow playback.
(function () {
  "use strict";

  // whep plays url (the stream's /NAME/whep) in video with the browser's
  // own RTCPeerConnection: one POST of the offer with every ICE candidate
  // gathered, the answer applied; close() ends the session with DELETE
  // (keepalive: it is sent as the page goes away too). A connection that
  // fails is reported with fail.
  async function whep(video, url, fail) {
    const pc = new RTCPeerConnection();
    pc.addEventListener("connectionstatechange", () => {
      if (pc.connectionState === "failed") fail("WebRTC connection failed");
    });
    pc.addTransceiver("video", { direction: "recvonly" });
    pc.addTransceiver("audio", { direction: "recvonly" });
    const media = new MediaStream();
    pc.ontrack = (e) => { media.addTrack(e.track); video.srcObject = media; };
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc, 2000);
    const resp = await fetch(url, {
      method: "POST", headers: { "Content-Type": "application/sdp" }, body: pc.localDescription.sdp,
    });
    if (resp.status !== 201) {
      pc.close();
      throw new Error("WHEP answered " + resp.status);
    }
    const loc = resp.headers.get("Location");
    await pc.setRemoteDescription({ type: "answer", sdp: await resp.text() });
    let closed = false;
    return {
      close() {
        if (closed) return;
        closed = true;
        // The DELETE first: it ends the session, where the peer's closing
        // alone would leave the server to notice.
        if (loc) {
          fetch(new URL(loc, new URL(url, location.href)), { method: "DELETE", keepalive: true }).catch(() => {});
        }
        pc.close();
      },
    };
  }

  // gathered waits until ICE gathering is complete, or at most ms.
  function gathered(pc, ms) {
    if (pc.iceGatheringState === "complete") return Promise.resolve();
    return new Promise((done) => {
      const t = setTimeout(done, ms);
      pc.addEventListener("icegatheringstatechange", () => {
        if (pc.iceGatheringState === "complete") { clearTimeout(t); done(); }
      });
    });
  }

  // wsURL makes the absolute ws:// or wss:// URL of a page-relative one.
  function wsURL(rel) {
    const u = new URL(rel, location.href);
    u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
    return u.href;
  }

  // hlsConfig is hls.js's configuration. For live LL-HLS its target
  // latency is the playlist's PART-HOLD-BACK (lowLatencyMode), and a
  // stall raises it by 0.1 s, not hls.js's 1 s, which would keep a
  // sub-second target a second behind for the rest of the session.
  // hls.js's own catch-up (maxLiveSyncPlaybackRate) stays off: it speeds
  // up only while more than a second is buffered, which a sub-second
  // target never has; keepLive does it instead.
  function hlsConfig(cfg) {
    const c = { liveDurationInfinity: true };
    if (cfg.lowLatency) {
      Object.assign(c, { lowLatencyMode: true, liveSyncOnStallIncrease: 0.1, maxLiveSyncPlaybackRate: 1 });
    }
    return c;
  }

  // events is the page's last few playback events (keepLive's seeks,
  // stalls), posted with its state: what a test or bench/latency logs.
  const events = [];
  function note(video, what) {
    events.push(video.currentTime.toFixed(2) + " " + what);
    if (events.length > 20) events.shift();
  }

  // Bounds of keepLive, in seconds past hls.js's target latency.
  const catchUpFrom = 0.1; // play faster beyond this
  const jumpFrom = 0.5; // seek towards the live position beyond this
  const settleFor = 1500; // ms at 1x after a seek or a first frame
  // A seek lands this far past a keyframe's playlist time: the video's own
  // keyframe may start a little after it (the segment's audio first), and a
  // seek just before it would decode the whole GOP before.
  const keyframeSlack = 0.02;

  // keepLive holds live LL-HLS playback at hls.js's target latency.
  // hls.js starts at its target, but on a loaded machine the browser's
  // first frame comes seconds later, with those seconds buffered ahead.
  // Beyond jumpFrom (that slow start, a long stall, a paused viewer who
  // resumes) it seeks to a keyframe near hls.js's live position: a
  // segment's or an independent part's start that is already buffered
  // with at least 1.5 parts after it, so nothing is fetched again and the
  // decoder has no GOP to decode up to the seek (a starved decoder stalls
  // there). It checks as soon as media is buffered, so a slow start seeks
  // before its first frame instead of after it. Beyond catchUpFrom it
  // plays at up to 1.25x while more than 1.5 parts are buffered, but not
  // during the first settleFor ms after a seek or the first frame, while
  // the buffer refills: speeding up then is what stalled. Returns what
  // stops it.
  function keepLive(h, video) {
    let settled = 0; // until then, 1x
    const settle = () => { settled = performance.now() + settleFor; };
    const tick = () => {
      const d = h.latestLevelDetails;
      const target = h.targetLatency;
      if (!d || !d.live || !target || video.paused || video.seeking) return;
      const behind = d.edge + d.age - video.currentTime - target;
      const b = video.buffered;
      const end = b.length ? b.end(b.length - 1) : 0;
      const part = d.partTarget || d.targetduration;
      if (behind > jumpFrom) {
        const k = keyframeNear(d, h.liveSyncPosition, video.currentTime, end - 1.5 * part);
        if (k !== null && b.start(b.length - 1) <= k) {
          note(video, "seek to keyframe " + k.toFixed(2) + ", " + behind.toFixed(2) + " s behind target");
          video.currentTime = k + keyframeSlack;
          settle();
          return;
        }
      }
      let rate = 1;
      if (behind > catchUpFrom && end - video.currentTime > 1.5 * part && performance.now() > settled) {
        rate = behind > 0.3 ? 1.25 : 1.1;
      }
      if (video.playbackRate !== rate) video.playbackRate = rate;
    };
    const on = ["timeupdate", "playing", "seeked"];
    for (const e of on) video.addEventListener(e, tick);
    video.addEventListener("playing", settle);
    h.on(Hls.Events.BUFFER_APPENDED, tick);
    return () => {
      for (const e of on) video.removeEventListener(e, tick);
      video.removeEventListener("playing", settle);
      h.off(Hls.Events.BUFFER_APPENDED, tick);
    };
  }

  // keyframeNear returns the latest start of a segment or an independent
  // part of d after from and at most half a part past pos (hls.js's live
  // position), no later than last; null when there is none. A keyframe
  // just before the live position costs up to a GOP of latency, which the
  // catch-up then wins back without emptying the buffer.
  function keyframeNear(d, pos, from, last) {
    if (pos === null || pos === undefined) return null;
    const part = d.partTarget || d.targetduration;
    const upTo = Math.min(pos + part / 2, last);
    let best = null;
    const consider = (t) => {
      if (t > from + 0.05 && t <= upTo && (best === null || t > best)) best = t;
    };
    for (const f of d.fragments) consider(f.start);
    for (const p of d.partList || []) if (p.independent) consider(p.start);
    return best;
  }

  // open starts cfg.player on video and returns {close()}; the player
  // starts playback itself when autoplay asks (play() is called by the
  // caller for the players that do not).
  async function open(video, cfg, fail) {
    switch (cfg.player) {
    case "hls":
      if (window.Hls && Hls.isSupported()) {
        const h = new Hls(hlsConfig(cfg));
        h.on(Hls.Events.ERROR, (_, d) => { if (d.fatal) fail("HLS: " + d.type + " " + d.details); });
        h.loadSource(cfg.url);
        h.attachMedia(video);
        const stop = cfg.lowLatency ? keepLive(h, video) : () => {};
        return { hls: h, close() { stop(); h.destroy(); } };
      }
      video.src = cfg.nativeURL || cfg.url; // Safari plays HLS itself
      return { close() { video.removeAttribute("src"); video.load(); } };
    case "dash": {
      const p = dashjs.MediaPlayer().create();
      p.on(dashjs.MediaPlayer.events.ERROR, (e) => {
        fail("DASH: " + (e.error && e.error.message ? e.error.message : JSON.stringify(e.error || e)));
      });
      // dash.js starts playback itself: a play() before it listens would
      // keep it from refreshing a live manifest.
      p.initialize(video, cfg.url, cfg.autoplay);
      return { close() { p.destroy(); } };
    }
    case "mseld":
      if (!window.StreamHiveMSELD) throw new Error("the MSE-LD player is not available");
      return StreamHiveMSELD.play(video, wsURL(cfg.url), {
        realtime: cfg.realtime, autoplay: cfg.autoplay, onError: (m) => fail("MSE-LD: " + m),
      });
    case "webrtc":
      return whep(video, cfg.url, fail);
    }
    throw new Error("unknown player " + cfg.player);
  }

  // play starts the video; when the browser refuses sound without a
  // gesture, it plays muted instead (the browser's autoplay policy decides
  // whether there is sound).
  function play(video, fail) {
    video.play().catch((e) => {
      if (e.name !== "NotAllowedError" || video.muted) { fail("play: " + e.message); return; }
      video.muted = true;
      video.play().catch((e2) => fail("play: " + e2.message));
    });
  }

  function start(video, status, cfg) {
    let error = "";
    // The first failure is the cause: what follows it (a play() that a
    // closed player interrupts) is not reported over it.
    const fail = (msg) => {
      if (error) return;
      error = msg;
      status.textContent = msg;
    };
    video.muted = cfg.mute;
    if (cfg.volume >= 0) video.volume = cfg.volume / 100;
    let player = null;
    let left = false;
    // Leaving the page ends the player's session at once (WHEP's DELETE,
    // the WebSocket's close) instead of when the server notices.
    window.addEventListener("pagehide", () => { left = true; if (player) player.close(); });
    open(video, cfg, fail).then((p) => {
      player = p;
      if (left) { p.close(); return; }
      if (cfg.autoplay && cfg.player !== "dash") play(video, fail);
    }, (e) => fail(String(e.message || e)));
    if (cfg.playDuration > 0) {
      setTimeout(() => {
        if (player) player.close();
        video.pause();
        status.textContent = "Playback stopped";
      }, cfg.playDuration * 1000);
    }
    if (window.parent !== window) {
      const stalls = countStalls(video);
      setInterval(() => {
        const h = player && player.hls;
        const b = video.buffered;
        window.parent.postMessage({
          type: "streamhive-player", player: cfg.player, currentTime: video.currentTime,
          paused: video.paused, videoWidth: video.videoWidth, videoHeight: video.videoHeight,
          error: error || (video.error ? "media: " + video.error.message : ""),
          // hls.js's live latency and its target, seconds
          latency: h ? h.latency : 0, targetLatency: h ? h.targetLatency || 0 : 0,
          rate: video.playbackRate, ahead: b.length ? b.end(b.length - 1) - video.currentTime : 0,
          stalls: stalls.count, stalledFor: stalls.seconds(), log: events,
        }, "*");
      }, 250);
    }
  }

  // countStalls counts the times playback waited for data once it had
  // begun, and for how long in all (seconds). A seek's wait is no stall.
  function countStalls(video) {
    const s = { count: 0, total: 0, since: 0, playing: false };
    video.addEventListener("playing", () => {
      if (s.since) s.total += performance.now() - s.since;
      s.since = 0;
      s.playing = true;
    });
    video.addEventListener("waiting", () => {
      if (!s.playing || s.since || video.seeking) return;
      s.count++;
      const b = video.buffered;
      note(video, "stall, " + (b.length ? b.end(b.length - 1) - video.currentTime : 0).toFixed(2) + " s buffered ahead");
      s.since = performance.now();
    });
    return {
      get count() { return s.count; },
      seconds() { return (s.total + (s.since ? performance.now() - s.since : 0)) / 1000; },
    };
  }

  window.StreamHiveEmbed = { start: start };
})();
