// Family Hub web chat: plain JavaScript, no build step. Message text only ever goes in textContent.
"use strict";
(function () {
  var STORE = "familyhub-chat";
  var state = load();
  var strings = {};
  var welcome = null;
  var seen = new Set();
  var pending = [];
  var source = null;
  var $ = function (id) { return document.getElementById(id); };

  function load() {
    try { return JSON.parse(localStorage.getItem(STORE)) || {}; } catch (e) { return {}; }
  }
  function save() { localStorage.setItem(STORE, JSON.stringify(state)); }
  function reset() { state = {}; localStorage.removeItem(STORE); seen = new Set(); pending = []; $("log").textContent = ""; }

  function show(name) {
    ["language", "notice", "chat", "deleted"].forEach(function (s) { $("screen-" + s).hidden = s !== name; });
    $("language-switch").hidden = name !== "chat";
  }

  function api(method, path, body) {
    var headers = { "Content-Type": "application/json" };
    if (state.token) { headers.Authorization = "Bearer " + state.token; }
    return fetch(path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) { var e = new Error(data.message || response.statusText); e.status = response.status; throw e; }
          return data;
        });
      });
  }

  function applyStrings(language) {
    return fetch("/api/strings?language=" + encodeURIComponent(language)).then(function (r) { return r.json(); })
      .then(function (found) {
        strings = found.strings;
        document.documentElement.lang = found.language;
        document.title = strings.title;
        document.querySelectorAll("[data-i18n]").forEach(function (el) { el.textContent = strings[el.dataset.i18n]; });
        document.querySelectorAll("[data-i18n-placeholder]").forEach(function (el) { el.placeholder = strings[el.dataset.i18nPlaceholder]; });
        $("notice-text").textContent = found.notice;
        welcome = found.welcome;
        if (!$("screen-chat").hidden) { showWelcome(); }
        $("message").maxLength = found.max_message_chars;
        $("language-select").value = found.language;
        state.language = found.language; save();
      });
  }

  function whoLabel(message) {
    if (message.sender === "mentor") {
      return message.sender_name ? strings.from_person.replace("{name}", message.sender_name) : strings.from_person_unnamed;
    }
    return message.sender === "parent" ? strings.you : strings.assistant;
  }

  function render(message) {
    if (message.id !== undefined && message.id !== null) {
      if (seen.has(message.id)) { return; }
      seen.add(message.id);
      state.lastId = Math.max(state.lastId || 0, message.id); save();
    }
    var item = document.createElement("li");
    item.className = message.sender === "parent" ? "parent" : (message.sender === "mentor" ? "mentor" : "bot");
    var who = document.createElement("span");
    who.className = "who";
    who.textContent = whoLabel(message);
    item.appendChild(who);
    item.appendChild(document.createTextNode(message.text || ""));
    if (message.buttons && message.buttons.length) {
      var row = document.createElement("div");
      row.className = "quick";
      message.buttons.forEach(function (b) {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = b.title;
        button.addEventListener("click", function () { send({ payload: b.payload, title: b.title }, b.title); });
        row.appendChild(button);
      });
      item.appendChild(row);
    }
    $("log").appendChild(item);
    item.scrollIntoView({ block: "end" });
    return item;
  }

  function showWelcome() {
    // The first screen after the notice: a greeting and the main things, as buttons, so that
    // nobody has to know what to type. Always the log's first item, in the page's language.
    var old = $("log").querySelector("li.welcome");
    if (old) { old.remove(); }
    if (!welcome) { return; }
    var item = render({ text: welcome.text, buttons: welcome.buttons, sender: "bot" });
    item.classList.add("welcome");
    $("log").insertBefore(item, $("log").firstChild);
  }

  function adoptParent(message) {
    // Our own message, already on screen, coming back with its stored id.
    for (var i = 0; i < pending.length; i++) {
      if (pending[i].text === message.text) {
        seen.add(message.id); pending.splice(i, 1);
        state.lastId = Math.max(state.lastId || 0, message.id); save();
        return true;
      }
    }
    return false;
  }

  function send(body, shown) {
    $("form-error").textContent = "";
    var mine = { text: shown, sender: "parent" };
    pending.push(mine);
    render(mine);
    $("typing").hidden = false;
    return api("POST", "/api/sessions/" + state.session + "/messages", body).then(function (reply) {
      if (reply.parent_message_id && pending.indexOf(mine) >= 0) { adoptParent({ id: reply.parent_message_id, text: shown }); }
      reply.messages.forEach(render);
      if (reply.erased) { return erased(); }
      if (reply.language && reply.language !== state.language) { return applyStrings(reply.language); }
    }).catch(function (error) {
      if (error.status === 401 || error.status === 403) { reset(); show("language"); return; }
      $("form-error").textContent = error.status ? error.message : strings.offline;
    }).then(function () { $("typing").hidden = true; });
  }

  function connect() {
    if (source) { source.close(); }
    var url = "/api/sessions/" + state.session + "/events?token=" + encodeURIComponent(state.token) +
      "&last_event_id=" + (state.lastId || 0);
    source = new EventSource(url);
    source.addEventListener("open", function () { $("status").textContent = ""; });
    source.addEventListener("message", function (event) {
      var message = JSON.parse(event.data);
      if (message.direction === "in" && !seen.has(message.id) && adoptParent(message)) { return; }
      render(message);
    });
    source.addEventListener("erased", function () { erased(); });
    source.addEventListener("error", function () {
      if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (e.g. the session is gone): check, then reconnect from the last id.
        api("POST", "/api/sessions/" + state.session + "/consent", { consent: !!state.consent })
          .then(function () { setTimeout(connect, 2000); })
          .catch(function (error) { if (error.status === 403) { reset(); show("language"); } else { setTimeout(connect, 5000); } });
      }
      $("status").textContent = strings.reconnecting;
    });
  }

  function erased() {
    if (source) { source.close(); source = null; }
    reset();
    show("deleted");
    $("restart").focus();
  }

  function startChat() {
    show("chat");
    showWelcome();
    // After a reload the screen is empty: replay the whole conversation, then follow it.
    state.lastId = 0; save();
    connect();
    $("message").focus();
  }

  function chooseLanguage(language) {
    reset();
    applyStrings(language).then(function () {
      return api("POST", "/api/sessions", { language: language });
    }).then(function (created) {
      state.session = created.session; state.token = created.token; state.language = language; save();
      show("notice");
      $("agree").focus();
    }).catch(function () { $("status").textContent = strings.offline; });
  }

  function consent(given) {
    api("POST", "/api/sessions/" + state.session + "/consent", { consent: given }).then(function () {
      state.consent = given; state.started = true; save();
      startChat();
    }).catch(function (error) { if (error.status === 403) { reset(); show("language"); } });
  }

  document.querySelectorAll("[data-language]").forEach(function (button) {
    button.addEventListener("click", function () { chooseLanguage(button.dataset.language); });
  });
  $("agree").addEventListener("click", function () { consent(true); });
  $("decline").addEventListener("click", function () { consent(false); });
  $("composer").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = $("message").value.trim();
    if (!text) { return; }
    if (text.length > $("message").maxLength) { $("form-error").textContent = strings.too_long; return; }
    $("message").value = "";
    send({ text: text }, text);
  });
  $("message").addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); $("composer").requestSubmit(); }
  });
  $("language-select").addEventListener("change", function (event) {
    var language = event.target.value;
    var names = { en: "English", so: "Soomaali", tr: "Türkçe" };
    applyStrings(language).then(function () {
      send({ payload: '/choose_language{"language": "' + language + '"}', title: names[language] }, names[language]);
    });
  });
  $("delete").addEventListener("click", function () { $("confirm-delete").hidden = false; $("delete-no").focus(); });
  $("delete-no").addEventListener("click", function () { $("confirm-delete").hidden = true; $("delete").focus(); });
  $("delete-yes").addEventListener("click", function () {
    api("DELETE", "/api/sessions/" + state.session).then(erased).catch(function (error) {
      if (error.status === 403) { erased(); } else { $("form-error").textContent = strings.offline; }
    });
  });
  $("restart").addEventListener("click", function () { show("language"); });

  var asked = new URLSearchParams(location.search).get("language");
  if (state.session && state.token && state.started) {
    applyStrings(state.language || "en").then(startChat);
  } else if (state.session && state.token) {
    applyStrings(state.language || "en").then(function () { show("notice"); });
  } else if (asked === "en" || asked === "so" || asked === "tr") {
    applyStrings(asked).then(function () { show("language"); });
  } else {
    show("language");
  }
})();
