// Teaching notes as side notes, and the note-kind filter applied at once.
// Without JavaScript every note stands open under its paragraph and the filter is a plain GET form.
// With it: notes are one-line disclosures; on a wide screen each sits in the margin beside the line of
// its passage, pushed down by the note above but never more than REACH px from its line; where a
// paragraph's notes cannot all fit within reach, they go under one tab beside the paragraph.
const REACH = 280; // px: a note may be pushed this far below its passage (the promise is 300)
const GAP = 6; // px between stacked notes
const KEY = "arms-talks:note-kinds";

const wide = window.matchMedia("(min-width: 76rem)");
const notes = [...document.querySelectorAll("details.ann-note")];
const noteId = (note) => note.querySelector(".ann-back a")?.getAttribute("href").replace("#mark-", "");
const byId = new Map(notes.map((note) => [noteId(note), note]));
const marksOf = (id) => document.querySelectorAll(`mark.ann[data-ann="${CSS.escape(id)}"], #ann-ref-${CSS.escape(id)}`);
const boxes = [...document.querySelectorAll(".edition .ann-notes")];
const columns = [...document.querySelectorAll(".edition .transcription, .edition .notes")];

// --- one-line summaries, closed by default, passage and note highlight each other ---
for (const note of notes) {
  const summary = note.querySelector("summary");
  const words = note.querySelector(".ann-body").textContent.trim().split(/\s+/).slice(0, 8).join(" ");
  const gist = document.createElement("span");
  gist.className = "ann-gist";
  gist.textContent = words;
  summary.append(" ", gist);
  const ref = document.getElementById(`ann-ref-${noteId(note)}`);
  if (ref) ref.setAttribute("aria-controls", note.id);
}
const target = () => document.getElementById(decodeURIComponent(location.hash.slice(1)));
for (const note of notes) note.open = note === target();

function syncNote(note) {
  const id = noteId(note);
  for (const el of marksOf(id)) {
    el.classList.toggle("ann-active", note.open);
    if (el.matches("a.ann-ref")) el.setAttribute("aria-expanded", String(note.open));
  }
}
notes.forEach(syncNote);

function reveal(note) {
  const box = note.closest(".ann-notes");
  if (box?.classList.contains("is-grouped")) setGroup(box, true);
  note.open = true;
}

document.addEventListener("toggle", (event) => {
  if (event.target.matches?.("details.ann-note")) {
    syncNote(event.target);
    schedule();
  }
}, true);

function passageNote(el) {
  const passage = el.closest?.("mark.ann[data-ann], a.ann-ref");
  if (!passage) return null;
  const id = passage.dataset.ann ?? passage.id.replace("ann-ref-", "");
  return byId.get(id) ?? null;
}
for (const [on, state] of [["mouseover", true], ["mouseout", false], ["focusin", true], ["focusout", false]]) {
  document.addEventListener(on, (event) => passageNote(event.target)?.classList.toggle("ann-pointed", state));
}
document.addEventListener("click", (event) => {
  const note = passageNote(event.target);
  if (!note || event.metaKey || event.ctrlKey || event.shiftKey) return;
  const ref = event.target.closest("a.ann-ref");
  if (event.target.closest("a") && !ref) return; // a glossary link inside a marked passage keeps its own job
  reveal(note);
  if (ref) {
    // the letter still links to its note (the address changes), but the page does not jump: the note is beside it
    event.preventDefault();
    history.pushState(null, "", `#${note.id}`);
    note.querySelector("summary").focus();
  }
  for (const other of document.querySelectorAll(".ann-note.ann-chosen")) other.classList.remove("ann-chosen");
  note.classList.add("ann-chosen");
});
window.addEventListener("hashchange", () => {
  const note = target();
  if (note?.matches("details.ann-note")) reveal(note);
});
window.addEventListener("beforeprint", () => notes.forEach((note) => { note.open = true; }));

// --- grouping tabs (made once, shown only while a paragraph is grouped) ---
let groups = 0;
function setGroup(box, expanded) {
  box.classList.toggle("is-expanded", expanded);
  box.querySelector(".ann-group-tab")?.setAttribute("aria-expanded", String(expanded));
  schedule();
}
function tabFor(box) {
  let tab = box.querySelector(".ann-group-tab");
  if (!tab) {
    box.id ||= `ann-group-${++groups}`;
    tab = document.createElement("button");
    tab.type = "button";
    tab.className = "ann-group-tab";
    tab.setAttribute("aria-controls", box.id);
    tab.setAttribute("aria-expanded", "false");
    tab.addEventListener("click", () => setGroup(box, !box.classList.contains("is-expanded")));
    box.prepend(tab);
  }
  const shown = [...box.querySelectorAll(":scope > .ann-note:not([hidden])")];
  const letters = shown.map((note) => note.querySelector(".ann-letter").textContent);
  tab.textContent = `${shown.length} notes (${letters[0]}–${letters.at(-1)})`;
  return tab;
}

// --- placing the side notes ---
function passageTop(note, box) {
  const mark = document.getElementById(`mark-${noteId(note)}`) ?? document.getElementById(`ann-ref-${noteId(note)}`);
  const anchor = mark ?? box.parentElement;
  return anchor.getBoundingClientRect().top + window.scrollY;
}
function put(el, top, left) {
  // absolute positions are taken from the element's offset parent (the column, or a positioned block in it)
  const parent = el.offsetParent ?? document.body;
  const rect = parent.getBoundingClientRect();
  el.style.top = `${top - (rect.top + window.scrollY) - parent.clientTop}px`;
  el.style.left = `${left - rect.left - parent.clientLeft}px`;
}
function clear() {
  for (const el of document.querySelectorAll(".ann-notes, .ann-note")) {
    el.style.top = "";
    el.style.left = "";
  }
  for (const box of boxes) box.classList.remove("is-grouped");
  for (const column of columns) {
    column.classList.remove("has-sidenotes");
    column.style.minHeight = "";
  }
}

function placeSideNotes() {
  clear();
  if (!wide.matches) return;
  for (const column of columns) {
    const own = boxes.filter((box) => column.contains(box));
    if (!own.length) continue;
    column.classList.add("has-sidenotes");
  }
  let floor = -Infinity;
  let lastColumn = null;
  for (const box of boxes) {
    const column = columns.find((c) => c.contains(box));
    if (!column) continue;
    if (column !== lastColumn) {
      floor = -Infinity;
      lastColumn = column;
    }
    const left = column.getBoundingClientRect().right + 40;
    const shown = [...box.querySelectorAll(":scope > .ann-note:not([hidden])")];
    if (!shown.length) continue;
    const wanted = shown.map((note) => passageTop(note, box));
    // would the paragraph's notes, closed, all stay within reach?
    let probe = floor;
    const fits = shown.every((note, i) => {
      const top = Math.max(wanted[i], probe);
      probe = top + closedHeight(note) + GAP;
      return top - wanted[i] <= REACH;
    });
    if (fits || shown.length === 1) {
      shown.forEach((note, i) => {
        const top = Math.max(wanted[i], floor);
        put(note, top, left);
        floor = top + note.offsetHeight + GAP;
      });
    } else {
      box.classList.add("is-grouped");
      tabFor(box);
      const top = Math.max(Math.min(...wanted), floor);
      put(box, top, left);
      floor = top + box.offsetHeight + GAP;
    }
    column.style.minHeight = `${Math.max(0, floor - (column.getBoundingClientRect().top + window.scrollY))}px`;
  }
}
function closedHeight(note) {
  if (!note.open) return note.offsetHeight;
  const summary = note.querySelector("summary");
  const style = getComputedStyle(note);
  return summary.offsetHeight + parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
}

let pending = false;
function schedule() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    placeSideNotes();
  });
}

// --- the note-kind filter, at once and remembered ---
const form = document.querySelector("form.note-filter");
const boxesOf = form ? [...form.querySelectorAll("input[name=kind]")] : [];
const params = new URLSearchParams(location.search);
const serverKinds = params.has("kind") ? new Set(params.getAll("kind")) : null;

function applyKinds(kinds) {
  let shown = 0;
  for (const note of notes) {
    const kind = [...note.classList].find((c) => c.startsWith("ann-") && c !== "ann-note").slice(4);
    const on = kinds.has(kind);
    note.hidden = !on;
    shown += on;
    for (const el of marksOf(noteId(note))) {
      if (el.matches("a")) el.hidden = !on;
      else el.classList.toggle("ann-off", !on);
    }
  }
  const count = form?.querySelector(".note-count");
  const first = count?.firstChild;
  if (first?.nodeType === Node.TEXT_NODE) first.textContent = first.textContent.replace(/^\d+ notes?/, `${shown} note${shown === 1 ? "" : "s"}`);
  schedule();
}
function chosen() {
  return new Set(boxesOf.filter((box) => box.checked).map((box) => box.value));
}
function remember(kinds) {
  try {
    localStorage.setItem(KEY, JSON.stringify([...kinds]));
  } catch {
    // storage may be refused (private mode): the filter still works for this page
  }
}
if (form && boxesOf.length) {
  if (serverKinds) {
    remember(chosen());
  } else {
    let stored = null;
    try {
      stored = JSON.parse(localStorage.getItem(KEY));
    } catch {
      stored = null;
    }
    if (Array.isArray(stored)) {
      for (const box of boxesOf) box.checked = stored.includes(box.value);
      applyKinds(chosen());
    }
  }
  form.addEventListener("change", (event) => {
    if (!event.target.matches("input[name=kind]")) return;
    const kinds = chosen();
    remember(kinds);
    // a page filtered by the server lacks the other kinds' notes: ask the server for them
    if (serverKinds && [...kinds].some((kind) => !serverKinds.has(kind))) {
      form.requestSubmit();
      return;
    }
    applyKinds(kinds);
  });
}

placeSideNotes();
wide.addEventListener("change", schedule);
window.addEventListener("resize", schedule);
window.addEventListener("load", schedule);
document.fonts?.ready.then(schedule);
if (window.ResizeObserver) {
  const text = document.querySelector(".edition .transcription");
  if (text) new ResizeObserver(schedule).observe(text);
}
