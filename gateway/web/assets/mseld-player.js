// StreamHive's MSE-LD player: plays ws://HOST/NAME/mse_ld (Flussonic's
// MSE-LD protocol) in a <video> through Media Source Extensions.
//
//   const p = window.StreamHiveMSELD.play(video, wsURL, {realtime: true});
//   ...
//   p.close();
//
// The server sends an "mse_init_segment" JSON message (each track's CMAF
// init segment, base64, with its track id and codec string) and then one
// binary message per CMAF fragment (moof+mdat) of one track; the track_ID
// in the fragment's tfhd names the SourceBuffer it goes to. A new init
// message (a track switch, a codec change) reconfigures the buffers.
//
// realtime: keep close to the live edge, speeding playback up a little
// when behind and jumping ahead when far behind; otherwise only a player
// left far behind (a background tab) jumps.
//
// Options: realtime (bool), autoplay (bool, default true: start playing
// at the first media; false: only seek to it), onError(message) (called once, when playback
// fails), onEvent(name) (the server's events: paused, resumed, ...).
(function () {
  'use strict';

  // Lag bounds, in seconds behind the end of the buffer.
  // margin: the lowest lag aimed at; hurry: how far above it playback
  // speeds up (by rate); jump: how far behind (beyond one fragment) it skips.
  var REALTIME = {margin: 0.15, hurry: 0.35, jump: 1, rate: 1.2};
  var RELAXED = {margin: 1, hurry: Infinity, jump: 20, rate: 1};
  var KEEP = 30; // seconds of played media kept in the buffers
  var TICK = 200; // ms between live-edge checks

  // tfhdTrackID returns the track_ID of a fragment's tfhd (moof > traf >
  // tfhd), or -1.
  function tfhdTrackID(buf) {
    var view = new DataView(buf);
    var from = 0;
    var to = buf.byteLength;
    var path = ['moof', 'traf', 'tfhd'];
    for (var i = 0; i < path.length; i++) {
      var found = -1;
      for (var off = from; off + 8 <= to;) {
        var size = view.getUint32(off);
        if (size < 8 || off + size > to) return -1;
        var type = String.fromCharCode(view.getUint8(off + 4), view.getUint8(off + 5),
          view.getUint8(off + 6), view.getUint8(off + 7));
        if (type === path[i]) { found = off; to = off + size; break; }
        off += size;
      }
      if (found < 0) return -1;
      from = found + 8;
    }
    return to - from >= 8 ? view.getUint32(from + 4) : -1;
  }

  function base64Bytes(s) {
    var bin = atob(s);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function defaultCodecs(content) {
    return content === 'video' ? 'avc1.42E01F' : 'mp4a.40.2';
  }

  function play(video, wsURL, opts) {
    opts = opts || {};
    var lag = opts.realtime ? REALTIME : RELAXED;
    var ms = new MediaSource();
    var url = URL.createObjectURL(ms);
    var byContent = {}; // 'video'/'audio' → {sb, queue, codecs}
    var byID = {}; // tfhd track_ID → the same entries
    var pending = []; // messages that came before the MediaSource opened
    var ws = null;
    var timer = null;
    var closed = false;
    var started = false;
    var lags = []; // recent lag samples: [time, lag]
    var step = 1; // seconds the buffer's end moves per fragment, as seen
    var lastEnd = -1;

    function fail(msg) {
      if (closed) return;
      if (opts.onError) opts.onError(msg);
      close();
    }

    function pump(e) {
      if (e.sb.updating || !e.queue.length || ms.readyState !== 'open') return;
      try {
        e.sb.appendBuffer(e.queue[0]);
        e.queue.shift();
      } catch (err) {
        // A full buffer: drop played media; updateend appends again.
        if (err.name === 'QuotaExceededError') { trim(e, 2); return; }
        fail('append: ' + err.message);
      }
    }

    // trim removes media played more than keep seconds ago.
    function trim(e, keep) {
      var b = e.sb.buffered;
      var upTo = video.currentTime - keep;
      if (b.length && !e.sb.updating && upTo - b.start(0) > 1) e.sb.remove(0, upTo);
    }

    function entry(tr) {
      var mime = (tr.content === 'video' ? 'video/mp4' : 'audio/mp4') +
        '; codecs="' + (tr.codecs || defaultCodecs(tr.content)) + '"';
      var e = byContent[tr.content];
      if (e) {
        if (e.mime !== mime && e.sb.changeType) e.sb.changeType(mime);
        e.mime = mime;
        return e;
      }
      if (!MediaSource.isTypeSupported(mime)) throw new Error('unsupported ' + mime);
      e = {sb: ms.addSourceBuffer(mime), queue: [], mime: mime};
      e.sb.addEventListener('updateend', function () {
        if (!e.sb.updating && e.sb.buffered.length && video.currentTime - e.sb.buffered.start(0) > KEEP + 10) {
          trim(e, KEEP);
          return;
        }
        pump(e);
      });
      byContent[tr.content] = e;
      return e;
    }

    function onInit(msg) {
      var contents = {};
      byID = {};
      msg.tracks.forEach(function (tr) {
        var e = entry(tr);
        e.queue.push(base64Bytes(tr.payload));
        byID[tr.id] = e;
        contents[tr.content] = true;
        pump(e);
      });
      // A kind the new selection lacks would hold playback at its end.
      Object.keys(byContent).forEach(function (c) {
        if (contents[c]) return;
        try { ms.removeSourceBuffer(byContent[c].sb); } catch (err) { /* gone with the MediaSource */ }
        delete byContent[c];
      });
    }

    function onMessage(data) {
      if (closed) return;
      if (typeof data === 'string') {
        var msg;
        try { msg = JSON.parse(data); } catch (err) { return; }
        if (msg.type === 'mse_init_segment') {
          try { onInit(msg); } catch (err) { fail('init: ' + err.message); }
        } else if (msg.type === 'event' && opts.onEvent) {
          opts.onEvent(msg.event);
        }
        return;
      }
      var e = byID[tfhdTrackID(data)];
      if (!e) return; // a fragment of a track this player was not told of
      e.queue.push(new Uint8Array(data));
      pump(e);
    }

    // tick keeps the playhead in the buffered media and near its end. Media
    // comes a fragment at a time, so the buffer's end steps forward and the
    // lag saws up and down; the player aims the lowest lag of the last
    // seconds at lag.margin, so that the next fragment comes just before the
    // playhead would run dry.
    function tick() {
      var b = video.buffered;
      if (!b.length) return;
      var end = b.end(b.length - 1);
      var t = video.currentTime;
      var now = performance.now();
      if (lastEnd >= 0 && end > lastEnd) step = Math.max(step * 0.9, Math.min(end - lastEnd, 5));
      lastEnd = end;
      var inRange = false;
      for (var i = 0; i < b.length; i++) {
        if (t >= b.start(i) - 0.05 && t < b.end(i)) inRange = true;
      }
      if (!started || !inRange || end - t > lag.jump + step) {
        // Start, skip a gap, or catch up: one step and a margin behind the end.
        var to = Math.max(b.start(b.length - 1), end - step - lag.margin);
        if (Math.abs(to - t) > 0.1) video.currentTime = to;
        video.playbackRate = 1;
        if (!started) {
          started = true;
          if (opts.autoplay === false) return; // the page's viewer presses play
          var p = video.play();
          if (p && p.catch) p.catch(function (err) { fail('play: ' + err.message); });
        }
        lags = [];
        return;
      }
      lags.push([now, end - t]);
      while (lags.length && now - lags[0][0] > 3000) lags.shift();
      if (!isFinite(lag.hurry) || now - lags[0][0] < 2000) return;
      var low = Math.min.apply(null, lags.map(function (l) { return l[1]; }));
      if (low > lag.margin + lag.hurry) video.playbackRate = lag.rate;
      else if (low < lag.margin) video.playbackRate = 1;
    }

    function close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      if (ws) { ws.onmessage = ws.onclose = ws.onerror = null; ws.close(); }
      if (ms.readyState === 'open') {
        try { ms.endOfStream(); } catch (err) { /* a buffer was updating */ }
      }
      video.removeAttribute('src');
      video.load();
      URL.revokeObjectURL(url);
    }

    ms.addEventListener('sourceopen', function () {
      var p = pending;
      pending = null;
      p.forEach(onMessage);
    }, {once: true});
    video.src = url;

    ws = new WebSocket(wsURL);
    ws.binaryType = 'arraybuffer';
    ws.onopen = function () { ws.send('resume'); };
    ws.onmessage = function (ev) {
      if (pending) pending.push(ev.data);
      else onMessage(ev.data);
    };
    ws.onerror = function () { fail('websocket error'); };
    ws.onclose = function (ev) { fail('websocket closed: ' + ev.code + (ev.reason ? ' ' + ev.reason : '')); };
    timer = setInterval(tick, TICK);

    return {close: close};
  }

  window.StreamHiveMSELD = {play: play};
})();
