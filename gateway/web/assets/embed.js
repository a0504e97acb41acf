// StreamHive's embed player (/NAME/embed.html): opens the URL the server
// chose with the player it chose (hls.js, dash.js, MSE-LD or WebRTC over
// WHEP) and applies the page's options. When the page is inside an
// iframe it posts its state to the parent every second, so that the
// embedding site (or a test) can follow playback.
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

  // open starts cfg.player on video and returns {close()}; the player
  // starts playback itself when autoplay asks (play() is called by the
  // caller for the players that do not).
  async function open(video, cfg, fail) {
    switch (cfg.player) {
    case "hls":
      if (window.Hls && Hls.isSupported()) {
        const h = new Hls({ liveDurationInfinity: true });
        h.on(Hls.Events.ERROR, (_, d) => { if (d.fatal) fail("HLS: " + d.type + " " + d.details); });
        h.loadSource(cfg.url);
        h.attachMedia(video);
        return { close() { h.destroy(); } };
      }
      video.src = cfg.url; // Safari plays HLS itself
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
      setInterval(() => window.parent.postMessage({
        type: "streamhive-player", player: cfg.player, currentTime: video.currentTime,
        paused: video.paused, videoWidth: video.videoWidth, videoHeight: video.videoHeight,
        error: error || (video.error ? "media: " + video.error.message : ""),
      }, "*"), 1000);
    }
  }

  window.StreamHiveEmbed = { start: start };
})();
