// Placeholder for StreamHive's MSE-LD client, which replaces this file:
// window.StreamHiveMSELD.play(videoElement, wsURL, {realtime: bool})
// returns {close()}. Until then the page's MSE-LD choice reports that the
// player is missing.
(function () {
  "use strict";
  window.StreamHiveMSELD = {
    play() { throw new Error("MSE-LD playback is not available in this build"); },
  };
})();
