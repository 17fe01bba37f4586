// The Generate page: follows one generation over its websocket and fills the parts in.
// Generated text is only ever set as textContent; finished parts are fetched as HTML the
// server rendered (and escaped).
(function () {
  "use strict";
  if (window.launchdeckGenerate) { window.launchdeckGenerate.scan(document); return; }

  var STATUS = { queued: "Queued", running: "Running", completed: "Done", failed: "Failed" };
  var GENERATION_STATUS = { queued: "Queued", running: "Running", completed: "Completed", partial: "Partial", failed: "Failed" };

  function setBadge(badge, status, labels) {
    if (!badge) return;
    badge.textContent = labels[status] || status;
    badge.className = badge.className.replace(/\bstatus-\w+/, "") + " status-" + status;
  }

  function fetchHtml(url, target) {
    return fetch(url, { headers: { "HX-Request": "true", "HX-Target": target || "" }, credentials: "same-origin" })
      .then(function (response) { if (!response.ok) throw new Error(String(response.status)); return response.text(); });
  }

  function Follower(section) {
    this.section = section;
    this.id = section.getAttribute("data-generation");
    this.lastSeq = 0;
    this.finished = false;
    this.retry = 0;
    this.connect();
  }

  Follower.prototype.part = function (name) {
    return this.section.querySelector('[data-part="' + name + '"]');
  };

  Follower.prototype.connect = function () {
    var self = this;
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + this.section.getAttribute("data-ws-path") + "?after=" + this.lastSeq);
    this.socket = socket;
    socket.onmessage = function (message) {
      var event;
      try { event = JSON.parse(message.data); } catch (e) { return; }
      if (typeof event.seq !== "number" || event.seq <= self.lastSeq) return;  // already shown
      self.lastSeq = event.seq;
      self.retry = 0;
      self.handle(event);
    };
    socket.onclose = function () {
      if (self.finished || !document.body.contains(self.section)) return;
      // Reconnect and resume after the last event shown.
      self.retry = Math.min(self.retry + 1, 6);
      setTimeout(function () { self.connect(); }, 500 * self.retry);
    };
  };

  Follower.prototype.handle = function (event) {
    var payload = event.payload || {};
    var part = payload.part ? this.part(payload.part) : null;
    switch (event.type) {
      case "generation.started":
        setBadge(this.section.querySelector("[data-generation-status]"), "running", GENERATION_STATUS);
        break;
      case "part.started":
        if (!part) break;
        part.setAttribute("data-status", "running");
        setBadge(part.querySelector("[data-part-status]"), "running", STATUS);
        var waiting = part.querySelector("[data-part-waiting]");
        if (waiting) waiting.textContent = "Writing…";
        break;
      case "part.delta":
        var stream = part && part.querySelector("[data-part-stream]");
        if (!stream) break;
        stream.textContent += payload.text || "";
        stream.scrollTop = stream.scrollHeight;
        break;
      case "part.completed":
        if (part) this.completePart(part, payload.part);
        break;
      case "part.failed":
        if (part) this.failPart(part, payload.error || {});
        break;
      case "generation.completed":
        this.complete(payload);
        break;
    }
  };

  Follower.prototype.completePart = function (part, name) {
    part.setAttribute("data-status", "completed");
    setBadge(part.querySelector("[data-part-status]"), "completed", STATUS);
    var url = this.section.getAttribute("data-part-url").replace("PART", encodeURIComponent(name));
    fetchHtml(url).then(function (html) {
      part.innerHTML = html;
      if (window.htmx) window.htmx.process(part);
    }).catch(function () { /* the streamed text stays; a reload shows the result */ });
  };

  Follower.prototype.failPart = function (part, error) {
    part.setAttribute("data-status", "failed");
    setBadge(part.querySelector("[data-part-status]"), "failed", STATUS);
    var body = part.querySelector(".part-body");
    var box = document.createElement("div");
    box.className = "alert alert-error";
    box.setAttribute("role", "alert");
    box.setAttribute("data-part-error", "");
    var text = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = "This part failed. ";
    text.appendChild(strong);
    text.appendChild(document.createTextNode(error.detail || "Unknown error."));
    box.appendChild(text);
    body.textContent = "";
    body.appendChild(box);
  };

  Follower.prototype.complete = function (payload) {
    var self = this;
    this.finished = true;
    this.section.setAttribute("data-finished", "true");
    setBadge(this.section.querySelector("[data-generation-status]"), payload.status, GENERATION_STATUS);
    setBadge(document.querySelector("[data-history-status]"), payload.status, GENERATION_STATUS);
    var timing = this.section.querySelector("[data-generation-timing]");
    if (timing) timing.textContent = payload.duration_ms + " ms" + (payload.cache_hit ? " · from cache" : "");
    if (payload.error) {
      var box = this.section.querySelector("[data-generation-error]");
      box.querySelector("[data-generation-error-detail]").textContent = payload.error.detail || "";
      var missing = payload.error.missing || [];
      if (missing.length) {
        box.querySelector("[data-generation-missing-list]").textContent = missing.join(", ");
        box.querySelector("[data-generation-missing]").hidden = false;
      }
      box.hidden = false;
      this.section.querySelectorAll("[data-part]").forEach(function (part) {
        if (part.getAttribute("data-status") !== "completed") self.failPart(part, payload.error);
      });
    }
    if (this.socket) this.socket.close();
    var extras = this.section.querySelector("#generation-extras");
    if (extras) {
      fetchHtml(this.section.getAttribute("data-detail-url"), "generation-extras").then(function (html) {
        extras.outerHTML = html;
        var fresh = self.section.querySelector("#generation-extras");
        if (fresh && window.htmx) window.htmx.process(fresh);
      }).catch(function () {});
    }
  };

  function scan(root) {
    var sections = root.querySelectorAll ? root.querySelectorAll("[data-generation]") : [];
    sections.forEach(function (section) {
      if (section.hasAttribute("data-following") || section.getAttribute("data-finished") === "true") return;
      section.setAttribute("data-following", "");
      new Follower(section);
    });
  }

  window.launchdeckGenerate = { scan: scan };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { scan(document); });
  } else {
    scan(document);
  }
  // The form answers with HX-Location: htmx swaps the generation's page in without a reload.
  document.addEventListener("htmx:load", function (event) { scan(event.target.parentNode || document); });
})();
