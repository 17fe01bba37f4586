// Launchdeck: the little behaviour the pages need on top of htmx. No framework.
(function () {
  "use strict";

  var TOAST_MS = { success: 4500, info: 5000, warning: 7000, error: 9000 };

  function dismiss(toast) {
    if (!toast || toast.hasAttribute("data-leaving")) return;
    toast.setAttribute("data-leaving", "");
    setTimeout(function () { toast.remove(); }, 220);
  }

  function arm(toast) {
    if (toast.hasAttribute("data-armed")) return;
    toast.setAttribute("data-armed", "");
    var level = (toast.className.match(/toast-(\w+)/) || [])[1] || "info";
    var timer = setTimeout(function () { dismiss(toast); }, TOAST_MS[level] || 5000);
    // Keep a toast up while the pointer rests on it, so it can be read.
    toast.addEventListener("mouseenter", function () { clearTimeout(timer); });
    toast.addEventListener("mouseleave", function () {
      timer = setTimeout(function () { dismiss(toast); }, 2000);
    });
  }

  // Shows a toast; text is set as textContent, never parsed as HTML.
  function showToast(message, level) {
    var box = document.getElementById("toasts");
    if (!box || !message) return;
    level = ["success", "info", "warning", "error"].indexOf(level) >= 0 ? level : "info";
    var toast = document.createElement("div");
    toast.className = "toast toast-" + level;
    toast.setAttribute("role", level === "error" ? "alert" : "status");
    toast.setAttribute("data-toast", "");
    var text = document.createElement("span");
    text.className = "toast-text";
    text.textContent = message;
    var close = document.createElement("button");
    close.className = "toast-close";
    close.type = "button";
    close.setAttribute("aria-label", "Dismiss");
    close.setAttribute("data-toast-close", "");
    close.textContent = "\u00d7";
    toast.appendChild(text);
    toast.appendChild(close);
    box.appendChild(toast);
    arm(toast);
  }
  window.launchdeckToast = showToast;

  function init(root) {
    root.querySelectorAll("[data-toast]").forEach(arm);
  }

  function copy(button) {
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) return;
    var value = source.value || source.textContent;
    var done = function () {
      var label = button.textContent;
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = label; }, 1800);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(value).then(done, function () { source.select(); });
    } else {
      source.focus();
      source.select();
      try { if (document.execCommand("copy")) done(); } catch (e) { /* selected for manual copy */ }
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    var closer = target.closest("[data-toast-close]");
    if (closer) { dismiss(closer.closest("[data-toast]")); return; }

    var toggle = target.closest("[data-nav-toggle]");
    if (toggle) {
      var bar = toggle.closest("[data-topbar]");
      var open = !bar.hasAttribute("data-open");
      bar.toggleAttribute("data-open", open);
      toggle.setAttribute("aria-expanded", String(open));
      return;
    }

    var copier = target.closest("[data-copy]");
    if (copier) { copy(copier); return; }

    var focuser = target.closest("[data-focus]");
    if (focuser) {
      var field = document.querySelector(focuser.getAttribute("data-focus"));
      if (field) setTimeout(function () { field.focus({ preventScroll: false }); }, 0);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var bar = document.querySelector("[data-topbar][data-open]");
    if (bar) {
      bar.removeAttribute("data-open");
      var toggle = bar.querySelector("[data-nav-toggle]");
      if (toggle) { toggle.setAttribute("aria-expanded", "false"); toggle.focus(); }
    }
  });

  // Selects marked data-autosubmit (workspace switcher, member roles) submit on change;
  // their Save/Switch buttons are only shown without JavaScript.
  document.addEventListener("change", function (event) {
    var select = event.target.closest("select[data-autosubmit]");
    if (select && select.form) select.form.requestSubmit();
  });

  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) event.target.select();
  });

  // Views answer htmx requests with `HX-Trigger: {"toast": {"message": ..., "level": ...}}`.
  document.addEventListener("toast", function (event) {
    var detail = event.detail || {};
    showToast(detail.message || detail.value, detail.level);
  });

  // A refused action (a 409 for a stale page, a 403 for a rule like self-approval) comes back
  // as a fragment that explains the refusal beside the form (core/htmx.py): swap it in.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status >= 400 && xhr.getResponseHeader("X-Refusal-Fragment")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // A failed htmx request would otherwise fail silently.
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    var message = status === 403 ? "You don’t have permission to do that."
      : status === 404 ? "That item no longer exists."
      : status === 429 ? "Too many requests. Wait a moment and try again."
      : "Something went wrong (" + status + "). Please try again.";
    showToast(message, "error");
  });
  document.addEventListener("htmx:sendError", function () {
    showToast("Can’t reach the server. Check your connection and try again.", "error");
  });

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
    if (window.htmx) {
      // Content swapped in by htmx (e.g. a page loaded through HX-Location) may bring toasts.
      window.htmx.onLoad(function (element) { init(element); });
    }
  });
})();
