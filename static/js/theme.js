// Loaded blocking in <head> (a file, so the Content-Security-Policy allows it): applies the reader's theme and
// text size before the first paint, then adds the theme switch to the header. Choices stay in localStorage.
(function () {
  "use strict";
  var root = document.documentElement;
  function stored(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function store(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode: the choice lasts this page */ }
  }
  function applyTheme(value) {
    if (value === "light" || value === "dark") root.setAttribute("data-theme", value);
    else root.removeAttribute("data-theme"); // auto: CSS follows prefers-color-scheme
  }
  applyTheme(stored("arms-talks:theme"));
  var size = stored("arms-talks:text-size");
  if (/^[1-5]$/.test(size || "")) root.setAttribute("data-text-size", size);

  window.armsTalksPrefs = { stored: stored, store: store };

  document.addEventListener("DOMContentLoaded", function () {
    var header = document.querySelector(".site-header");
    if (!header) return;
    var prefs = document.createElement("div");
    prefs.className = "site-prefs";
    var label = document.createElement("label");
    label.textContent = "Theme ";
    var select = document.createElement("select");
    select.id = "theme-choice";
    [["auto", "Auto (as the device)"], ["light", "Light"], ["dark", "Dark"]].forEach(function (option) {
      var element = document.createElement("option");
      element.value = option[0];
      element.textContent = option[1];
      select.appendChild(element);
    });
    select.value = root.getAttribute("data-theme") || "auto";
    select.addEventListener("change", function () {
      applyTheme(select.value);
      store("arms-talks:theme", select.value);
    });
    label.appendChild(select);
    prefs.appendChild(label);
    header.appendChild(prefs);
  });
})();
