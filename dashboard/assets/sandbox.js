// The sandbox chat page: polls the chat's JSON about once a second and redraws it when its
// version changes; posts the person's actions with the session's CSRF token. Plain DOM, no
// framework. Message HTML comes from the server already reduced to Telegram's safe tags.
(function () {
  "use strict";
  var phone = document.getElementById("phone");
  if (!phone) { return; }
  var person = phone.dataset.person;
  var csrf = phone.dataset.csrf;
  var base = "/sandbox/chat/" + person;
  var version = null;
  var answered = {};
  var messages = document.getElementById("messages");
  var keyboard = document.getElementById("reply-keyboard");

  function post(path, body) {
    return fetch(base + path, {
      method: "POST",
      headers: { "X-Sandbox": "1" },
      body: body,
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { return response.text().then(function (t) { throw new Error(t); }); }
      return refresh();
    }).catch(function (error) { showError(error.message); });
  }

  function form(fields) {
    var body = new URLSearchParams();
    body.set("csrf", csrf);
    Object.keys(fields).forEach(function (k) { body.set(k, fields[k]); });
    return body;
  }

  function showError(text) {
    var p = document.createElement("p");
    p.className = "error sandbox-error";
    p.textContent = text.replace(/<[^>]*>/g, " ").trim();
    messages.appendChild(p);
  }

  function button(label, className, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = className;
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }

  function inlineKeyboard(m) {
    var box = document.createElement("div");
    box.className = "inline-keyboard";
    m.buttons.forEach(function (row) {
      var line = document.createElement("div");
      line.className = "row";
      row.forEach(function (b) {
        if (b.data !== null) {
          line.appendChild(button(b.text, "inline", function () {
            post("/press", form({ message: m.id, data: b.data }));
          }));
        } else if (b.url) {
          var a = document.createElement("a");
          a.className = "inline";
          a.textContent = b.text;
          a.href = b.url;
          a.rel = "noopener noreferrer";
          a.target = "_blank";
          line.appendChild(a);
        }
      });
      box.appendChild(line);
    });
    return box;
  }

  function poll(m) {
    var box = document.createElement("div");
    box.className = "poll";
    var done = answered[m.poll.id] || m.poll.closed;
    m.poll.options.forEach(function (option, i) {
      var label = option + (done ? " · " + m.poll.votes[i] + " " + phone.dataset.votes : "");
      var b = button(label, "poll-option", function () {
        answered[m.poll.id] = true;
        post("/poll", form({ poll: m.poll.id, option: i }));
      });
      b.disabled = !!done;
      box.appendChild(b);
    });
    return box;
  }

  function bubble(m) {
    var div = document.createElement("div");
    div.className = "bubble " + (m.from_bot ? "bot" : "me");
    div.dataset.id = m.id;
    if (m.attachment) {
      var file = document.createElement("div");
      file.className = "attachment";
      file.textContent = "📎 " + m.attachment;
      div.appendChild(file);
    }
    var text = document.createElement("div");
    text.className = "text";
    text.innerHTML = m.html; // safe: escaped and reduced to Telegram's tags by the server
    div.appendChild(text);
    if (m.poll) { div.appendChild(poll(m)); }
    if (m.buttons.length) { div.appendChild(inlineKeyboard(m)); }
    if (m.edited) {
      var e = document.createElement("small");
      e.className = "edited";
      e.textContent = phone.dataset.edited;
      div.appendChild(e);
    }
    return div;
  }

  function draw(chat) {
    messages.textContent = "";
    chat.messages.forEach(function (m) { messages.appendChild(bubble(m)); });
    keyboard.textContent = "";
    chat.reply_keyboard.forEach(function (row) {
      var line = document.createElement("div");
      line.className = "row";
      row.forEach(function (label) {
        line.appendChild(button(label, "reply", function () {
          post("/text", form({ text: label }));
        }));
      });
      keyboard.appendChild(line);
    });
    messages.scrollTop = messages.scrollHeight;
  }

  function refresh() {
    var url = base + (version === null ? "" : "?since=" + version);
    return fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (chat) {
        if (chat && chat.changed) {
          version = chat.version;
          draw(chat);
        }
      })
      .catch(function () { /* the next poll tries again */ });
  }

  document.getElementById("send-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = document.getElementById("text");
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    post("/text", form({ text: text }));
  });

  document.getElementById("file-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = document.getElementById("file");
    if (!input.files.length) { return; }
    var body = new FormData();
    body.set("csrf", csrf);
    body.set("file", input.files[0]);
    input.value = "";
    post("/file", body);
  });

  refresh();
  setInterval(refresh, 1000);
})();
