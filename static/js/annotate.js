// The admin Annotate view: turn a selection in the transcription into offsets in the canonical text.
// The template says what it needs: every block carries data-start (its start in the canonical text),
// and whatever the canonical text leaves out (page numbers, note numbers, ¶ links, labels, notes)
// carries data-skip. Within a block we count the characters of text nodes outside [data-skip], and
// <br> as one "\n". The server checks the quote against the text again.
(() => {
  const source = document.getElementById("annotate-source");
  const text = JSON.parse(document.getElementById("canonical-text").textContent);
  const status = document.getElementById("selection-status");
  const form = document.getElementById("annotation-form");
  const SKIPPED = "[data-skip]";
  let current = null;

  function offsetIn(block, container, offset) {
    const probe = document.createRange();
    probe.setStart(block, 0);
    probe.setEnd(container, offset);
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT, {
      acceptNode: (node) => (node.nodeType === 1 && node.matches(SKIPPED) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    let count = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeType === 1) {
        if (node.tagName === "BR" && probe.comparePoint(node, 0) === 0 && probe.comparePoint(node.parentNode, [...node.parentNode.childNodes].indexOf(node) + 1) === 0) count += 1;
        continue;
      }
      if (node === container) return count + offset;
      const endInRange = probe.comparePoint(node, node.data.length) === 0;
      if (!endInRange) break;
      count += node.data.length;
    }
    return count;
  }

  function position(container, offset) {
    const element = container.nodeType === 1 ? container : container.parentElement;
    if (!source.contains(element)) return null;
    if (element.closest(SKIPPED)) {
      const skipped = element.closest(SKIPPED);
      const parent = skipped.parentNode;
      return position(parent, [...parent.childNodes].indexOf(skipped));
    }
    let block = element.closest("[data-start]");
    if (!block && container.nodeType === 1) {
      // a boundary between paragraphs: the start of the next one
      const next = container.childNodes[offset];
      block = next && next.nodeType === 1 ? next.querySelector("[data-start]") || (next.matches("[data-start]") ? next : null) : null;
      if (block) return Number(block.dataset.start);
    }
    if (!block || !source.contains(block)) return null;
    return Number(block.dataset.start) + offsetIn(block, container, offset);
  }

  function show(message, isError) {
    status.textContent = message;
    status.classList.toggle("error", Boolean(isError));
  }

  function readSelection() {
    const selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return;
    const range = selection.getRangeAt(0);
    const inside = source.contains(range.startContainer) && source.contains(range.endContainer);
    if (!inside) {
      if (source.contains(range.startContainer) || source.contains(range.endContainer)) {
        current = null;
        show("That selection goes outside the transcription. Select text in the document only.", true);
      }
      return;
    }
    let start = position(range.startContainer, range.startOffset);
    let end = position(range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) {
      current = null;
      show("That selection cannot be used: select words of the transcription itself.", true);
      return;
    }
    while (start < end && /\s/.test(text[start])) start += 1;
    while (end > start && /\s/.test(text[end - 1])) end -= 1;
    if (end <= start) return;
    current = { start, end, quote: text.slice(start, end) };
    form.elements.quote.value = current.quote;
    form.elements.start.value = start;
    form.elements.end.value = end;
    show(`Selected (${end - start} characters): “${current.quote.length > 90 ? current.quote.slice(0, 87) + "…" : current.quote}”`);
  }

  document.addEventListener("mouseup", () => setTimeout(readSelection, 0));
  document.addEventListener("keyup", (event) => { if (event.shiftKey || event.key === "Shift") readSelection(); });
  source.setAttribute("tabindex", "0");

  // typing a quote by hand: the server finds it, so forget offsets from an older selection
  form.elements.quote.addEventListener("input", () => {
    form.elements.start.value = "";
    form.elements.end.value = "";
  });

  for (const reanchor of document.querySelectorAll(".reanchor-form")) {
    reanchor.addEventListener("submit", (event) => {
      if (!current) {
        event.preventDefault();
        show("First select the passage this annotation should move to, then press Re-anchor.", true);
        status.scrollIntoView({ block: "nearest" });
        return;
      }
      reanchor.elements.quote.value = current.quote;
      reanchor.elements.start.value = current.start;
      reanchor.elements.end.value = current.end;
    });
  }
})();
