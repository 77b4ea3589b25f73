// Family Hub web chat: voice notes, photos and read-aloud (docs/webchat.md#voice-notes-and-photos).
// A section of its own: chat.js lends it the session (attach) and calls decorate() on every
// message it shows, start() when the chat opens and stop() when it closes or is erased.
// The session token only ever travels in the Authorization header, never in a URL: files are
// fetched with it and played from blob: URLs.
"use strict";
(function () {
  var chat = null;
  var status = { mentor: false, read_aloud: [], max_seconds: 120, max_photo_bytes: 10485760 };
  var recorder = null;
  var stream = null;
  var chunks = [];
  var timer = null;
  var started = 0;
  var cancelled = false;
  var urls = [];
  var readable = [];
  var asking = null;
  var $ = function (id) { return document.getElementById(id); };

  function strings() { return chat.strings(); }
  function base() { return "/api/sessions/" + chat.session(); }
  function headers(extra) {
    var found = { Authorization: "Bearer " + chat.token() };
    Object.keys(extra || {}).forEach(function (key) { found[key] = extra[key]; });
    return found;
  }
  function blobUrl(blob) { var url = URL.createObjectURL(blob); urls.push(url); return url; }

  // --- whether a mentor is in the conversation, and which languages can be read aloud ---------

  function refresh() {
    if (!chat || !chat.session()) { return Promise.resolve(); }
    return fetch(base() + "/media", { headers: headers() })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (found) {
        if (!found) { return; }
        status = found;
        $("media-bar").hidden = !found.mentor;
        if (!found.mentor) { stopRecording(true); }
        readable.forEach(function (pair) { addListen(pair[0], pair[1]); });
      })
      .catch(function () { /* offline: chat.js shows the connection state */ });
  }

  // --- a mentor's voice note or photo, and read-aloud, on a message ------------------------------

  function decorate(item, message) {
    if (message.media && message.media.file_id) { attachMedia(item, message); }
    if (message.sender === "bot" && message.text) {
      readable.push([item, message]);
      addListen(item, message);
    }
    if (message.sender === "mentor" || message.sender === "system") { refreshSoon(); }
  }

  // A reload replays the whole conversation at once: one status request for the batch, not one
  // per mentor or system message.
  function refreshSoon() {
    if (asking) { return; }
    asking = setTimeout(function () { asking = null; refresh(); }, 200);
  }

  function attachMedia(item, message) {
    var media = message.media;
    var photo = media.kind === "photo";
    var shown = document.createElement(photo ? "img" : "audio");
    if (photo) {
      shown.className = "media-photo";
      shown.alt = strings().photo_from.replace("{name}", message.sender_name || "");
    } else {
      shown.className = "media-audio";
      shown.controls = true;
      shown.setAttribute("aria-label", strings().voice_note);
    }
    item.appendChild(shown);
    fetch(base() + "/media/" + media.file_id, { headers: headers() })
      .then(function (response) { if (!response.ok) { throw new Error(); } return response.blob(); })
      .then(function (blob) { shown.src = blobUrl(blob); })
      .catch(function () { shown.remove(); });
  }

  function addListen(item, message) {
    var language = message.language || chat.language();
    if (item.querySelector(".listen") || status.read_aloud.indexOf(language) < 0) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "listen";
    button.textContent = strings().listen;
    var player = null;
    button.addEventListener("click", function () {
      if (player) { player.currentTime = 0; player.play(); return; }
      button.disabled = true;
      fetch(base() + "/speech", {
        method: "POST",
        headers: headers({ "Content-Type": "application/json" }),
        body: JSON.stringify({ text: message.text, language: language })
      }).then(function (response) { if (!response.ok) { throw new Error(); } return response.blob(); })
        .then(function (blob) {
          player = document.createElement("audio");
          player.className = "media-audio";
          player.controls = true;
          player.src = blobUrl(blob);
          item.appendChild(player);
          return player.play();
        })
        .catch(function () { /* the text is still there to read */ })
        .then(function () { button.disabled = false; });
    });
    item.appendChild(button);
  }

  // --- recording a voice note --------------------------------------------------------------------

  function clock(seconds) { return Math.floor(seconds / 60) + ":" + ("0" + (seconds % 60)).slice(-2); }

  function recording(on) {
    $("record").hidden = on;
    $("photo").hidden = on;
    $("recording").hidden = !on;
    $("record-stop").hidden = !on;
    $("record-cancel").hidden = !on;
    if (on) { $("record-stop").focus(); }
  }

  function tick() {
    var seconds = Math.floor((Date.now() - started) / 1000);
    $("record-timer").textContent = clock(Math.min(seconds, status.max_seconds)) + " / " + clock(status.max_seconds);
    if (seconds >= status.max_seconds) { stopRecording(false); }
  }

  function startRecording() {
    chat.error("");
    if (!navigator.mediaDevices || !window.MediaRecorder) { chat.error(strings().microphone_blocked); return; }
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (found) {
      stream = found;
      chunks = [];
      cancelled = false;
      // Chromium and Firefox record WebM/Opus, Safari MP4/AAC: the gateway converts either.
      var type = ["audio/webm;codecs=opus", "audio/mp4", "audio/ogg;codecs=opus"].filter(function (t) {
        return MediaRecorder.isTypeSupported(t);
      })[0];
      recorder = type ? new MediaRecorder(stream, { mimeType: type }) : new MediaRecorder(stream);
      recorder.addEventListener("dataavailable", function (event) { if (event.data && event.data.size) { chunks.push(event.data); } });
      recorder.addEventListener("stop", finished);
      recorder.start(1000);
      started = Date.now();
      tick();
      timer = setInterval(tick, 250);
      recording(true);
    }).catch(function () { chat.error(strings().microphone_blocked); });
  }

  function stopRecording(cancel) {
    if (!recorder) { return; }
    cancelled = cancel;
    if (recorder.state !== "inactive") { recorder.stop(); }
  }

  function finished() {
    clearInterval(timer);
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    var blob = new Blob(chunks, { type: recorder.mimeType || "audio/webm" });
    recorder = null;
    stream = null;
    chunks = [];
    recording(false);
    $("record").focus();
    if (!cancelled && blob.size) { upload(blob); }
  }

  // --- sending a voice note or photo -------------------------------------------------------------

  function upload(blob) {
    chat.error("");
    $("media-bar").setAttribute("aria-busy", "true");
    return fetch(base() + "/media", { method: "POST", headers: headers(), body: blob })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) { throw new Error(data.message || strings().media_failed); }
          if (data.shown) { chat.render({ id: data.parent_message_id, text: data.shown, sender: "parent" }); }
          (data.messages || []).forEach(chat.render);
        });
      })
      .catch(function (error) { chat.error(error.message || strings().media_failed); })
      .then(function () { $("media-bar").removeAttribute("aria-busy"); refresh(); });
  }

  function sendPhoto() {
    var input = $("photo-input");
    var file = input.files && input.files[0];
    input.value = "";
    if (!file) { return; }
    if (file.size > status.max_photo_bytes) { chat.error(strings().media_failed); return; }
    upload(file);
  }

  // --- what chat.js calls ------------------------------------------------------------------------

  function start() { refresh(); }

  function stop() {
    // A refresh still waiting would show the bar again for a session that has just gone.
    if (asking) { clearTimeout(asking); asking = null; }
    stopRecording(true);
    urls.forEach(function (url) { URL.revokeObjectURL(url); });
    urls = [];
    readable = [];
    status.mentor = false;
    $("media-bar").hidden = true;
  }

  function attach(lent) {
    chat = lent;
    $("record").addEventListener("click", startRecording);
    $("record-stop").addEventListener("click", function () { stopRecording(false); });
    $("record-cancel").addEventListener("click", function () { stopRecording(true); });
    $("photo").addEventListener("click", function () { $("photo-input").click(); });
    $("photo-input").addEventListener("change", sendPhoto);
  }

  window.familyHubMedia = { attach: attach, decorate: decorate, start: start, stop: stop };
})();
