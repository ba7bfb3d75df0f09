// Glossary and people links open a popover instead of leaving the page.
// Without JavaScript (or without popover support) they stay plain links to the entry's page.
(() => {
  if (!HTMLElement.prototype.showPopover) return;
  let opener = null;

  function place(popover, link) {
    const rect = link.getBoundingClientRect();
    const width = Math.min(352, window.innerWidth - 16);
    const left = Math.max(8, Math.min(rect.left, window.innerWidth - width - 8));
    const below = rect.bottom + 6;
    popover.style.left = `${left}px`;
    popover.style.width = `${width}px`;
    popover.style.top = `${below}px`;
    const height = popover.offsetHeight;
    if (below + height > window.innerHeight - 8 && rect.top - height - 6 > 8) {
      popover.style.top = `${rect.top - height - 6}px`;
    }
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-popover]");
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const popover = document.getElementById(link.dataset.popover);
    if (!popover) return;
    event.preventDefault();
    opener = link;
    popover.showPopover();
    place(popover, link);
    popover.querySelector(".popover-title").focus();
  });

  document.addEventListener("toggle", (event) => {
    if (event.target.matches?.(".popover") && event.newState === "closed" && opener) {
      opener.focus();
      opener = null;
    }
  }, true);

  for (const link of document.querySelectorAll("a[data-popover]")) {
    link.setAttribute("aria-haspopup", "dialog");
  }
  for (const title of document.querySelectorAll(".popover-title")) {
    title.tabIndex = -1;
  }
})();

// Teaching notes: in the margin on wide screens (all open), disclosures under their paragraph on
// narrow ones (closed until asked for). Without JavaScript they are simply all open.
(() => {
  const notes = [...document.querySelectorAll("details.ann-note")];
  if (!notes.length) return;
  const wide = window.matchMedia("(min-width: 76rem)");
  const targeted = () => document.getElementById(decodeURIComponent(location.hash.slice(1)));
  function layout() {
    const target = targeted();
    for (const note of notes) note.open = wide.matches || note === target;
  }
  // Side notes: place each paragraph's notes level with it, below the previous notes if they run long.
  const columns = [...document.querySelectorAll(".edition .transcription, .edition .notes")];
  function placeSideNotes() {
    for (const column of columns) {
      const boxes = [...column.querySelectorAll(".annotated > .ann-notes")];
      column.classList.toggle("has-sidenotes", wide.matches && boxes.length > 0);
      column.style.minHeight = "";
      if (!wide.matches) {
        boxes.forEach((box) => { box.style.top = ""; });
        continue;
      }
      const origin = column.getBoundingClientRect().top;
      let floor = 0;
      for (const box of boxes) {
        const wanted = box.parentElement.getBoundingClientRect().top - origin;
        const top = Math.max(wanted, floor);
        box.style.top = `${top}px`;
        floor = top + box.offsetHeight + 12;
      }
      column.style.minHeight = `${floor}px`;
    }
  }
  let pending = false;
  const schedule = () => {
    if (!pending) {
      pending = true;
      requestAnimationFrame(() => { pending = false; placeSideNotes(); });
    }
  };
  layout();
  placeSideNotes();
  wide.addEventListener("change", () => { layout(); schedule(); });
  window.addEventListener("resize", schedule);
  document.addEventListener("toggle", schedule, true);
  document.fonts?.ready.then(schedule);
  window.addEventListener("hashchange", () => {
    const target = targeted();
    if (target && target.matches("details.ann-note")) target.open = true;
  });
  window.addEventListener("beforeprint", () => notes.forEach((note) => { note.open = true; }));
})();
