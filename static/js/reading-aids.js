// Reading aids on a document page: a progress bar, "continue where you left off" and a text-size control.
// The position is kept in this browser's localStorage only (one key per document), never sent anywhere.
(function () {
  "use strict";
  var SIZES = ["87.5%", "100%", "112.5%", "125%", "150%"];
  var prefs = window.armsTalksPrefs || { stored: function () { return null; }, store: function () {} };
  var root = document.documentElement;

  function paragraphs(text) {
    // Each numbered paragraph carries a "¶ n" link to its own id.
    return Array.prototype.map.call(text.querySelectorAll(".para-link"), function (link) {
      return { element: link.closest("[id]"), id: link.hash.slice(1), number: link.textContent.replace(/\D/g, "") };
    }).filter(function (para) { return para.element && para.number; });
  }

  function progressBar(text) {
    var bar = document.createElement("div");
    bar.className = "reading-progress";
    bar.setAttribute("role", "progressbar");
    bar.setAttribute("aria-label", "Reading progress");
    bar.setAttribute("aria-valuemin", "0");
    bar.setAttribute("aria-valuemax", "100");
    bar.appendChild(document.createElement("span"));
    var header = document.querySelector(".site-header");  // inside the banner landmark, shown fixed at the top
    if (header) header.insertBefore(bar, header.firstChild);
    else document.body.insertBefore(bar, document.body.firstChild);
    return function update() {
      var box = text.getBoundingClientRect();
      var span = box.height - window.innerHeight;
      var done = span > 0 ? -box.top / span : (box.top < 0 ? 1 : 0);
      done = Math.min(1, Math.max(0, done));
      bar.style.setProperty("--progress", done.toFixed(4));
      bar.setAttribute("aria-valuenow", String(Math.round(done * 100)));
      bar.setAttribute("aria-valuetext", Math.round(done * 100) + "% of the text read");
    };
  }

  function reached(paras) {
    // The last paragraph whose top has come within the upper third of the window.
    var line = window.innerHeight / 3;
    var last = null;
    for (var i = 0; i < paras.length; i++) {
      if (paras[i].element.getBoundingClientRect().top <= line) last = paras[i];
      else break;
    }
    return last;
  }

  function resumePrompt(saved, paras, key) {
    var para = paras.filter(function (p) { return p.id === saved.id; })[0];
    if (!para || para === paras[0]) return;
    var box = document.createElement("div");
    box.className = "resume-prompt";
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", "Continue reading");
    var note = document.createElement("p");
    note.textContent = "You last read up to ¶ " + para.number + ".";
    var go = document.createElement("button");
    go.type = "button";
    go.textContent = "Continue at ¶ " + para.number;
    var dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.className = "resume-dismiss";
    dismiss.textContent = "Dismiss";
    function close() { box.remove(); }
    go.addEventListener("click", function () {
      close();
      history.replaceState(null, "", "#" + para.id);
      para.element.setAttribute("tabindex", "-1");
      para.element.scrollIntoView({ block: "start" });
      para.element.focus({ preventScroll: true });
    });
    dismiss.addEventListener("click", function () {
      close();
      try { window.localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
    });
    box.addEventListener("keydown", function (event) { if (event.key === "Escape") close(); });
    box.append(note, go, dismiss);
    document.body.appendChild(box);
  }

  function textSize(prefsBox) {
    var group = document.createElement("div");
    group.className = "text-size";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Text size");
    var output = document.createElement("output");
    output.setAttribute("aria-live", "polite");
    function current() { return Number(root.getAttribute("data-text-size") || 2); }
    function button(label, name, step) {
      var element = document.createElement("button");
      element.type = "button";
      element.textContent = label;
      // The name starts with what is shown, so "click A plus" works by voice (WCAG 2.5.3).
      element.setAttribute("aria-label", label + " " + name);
      element.addEventListener("click", function () { set(step === 0 ? 2 : current() + step); });
      return element;
    }
    var smaller = button("A−", "smaller text", -1);
    var reset = button("A", "default text size", 0);
    var larger = button("A+", "larger text", 1);
    function set(size) {
      size = Math.min(SIZES.length, Math.max(1, size));
      if (size === 2) root.removeAttribute("data-text-size");
      else root.setAttribute("data-text-size", String(size));
      prefs.store("arms-talks:text-size", String(size));
      show();
    }
    function show() {
      var size = current();
      output.textContent = SIZES[size - 1];
      smaller.disabled = size <= 1;
      larger.disabled = size >= SIZES.length;
    }
    group.append(document.createTextNode("Text "), smaller, reset, larger, output);
    show();
    prefsBox.insertBefore(group, prefsBox.firstChild);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var text = document.querySelector(".reading .transcription");
    if (!text) return;
    var key = "arms-talks:position:" + location.pathname;
    var paras = paragraphs(text);
    var update = progressBar(text);
    var prefsBox = document.querySelector(".site-prefs");
    if (prefsBox) textSize(prefsBox);

    var saved = null;
    try { saved = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    // After "load", when a reload's restored scroll position is known: offer the saved place only to a reader
    // starting from the top.
    window.addEventListener("load", function () {
      if (saved && saved.id && !location.hash && window.scrollY < 50) resumePrompt(saved, paras, key);
    });

    var pending = false;
    function onScroll() {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        update();
        var para = reached(paras);
        if (para && window.scrollY > 0) {
          try { window.localStorage.setItem(key, JSON.stringify({ id: para.id })); } catch (e) { /* not kept */ }
        }
      });
    }
    window.addEventListener("scroll", onScroll, { passive: true });
    window.addEventListener("resize", onScroll);
    update();
  });
})();
