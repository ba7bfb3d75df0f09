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
