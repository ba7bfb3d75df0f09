// Find the evidence: besides choosing a sentence, a student may select the exact words with the mouse.
// The selection becomes two offsets in the document's text (hidden fields); the server scores it by
// overlap with the key sentence. Without JavaScript the sentence choice alone works.
(() => {
  for (const evidence of document.querySelectorAll(".evidence")) {
    const start = evidence.querySelector("input[name$='-start']");
    const end = evidence.querySelector("input[name$='-end']");
    const radios = [...evidence.querySelectorAll("input[type=radio]")];
    radios.forEach((radio) => radio.addEventListener("change", () => { start.value = ""; end.value = ""; }));
    evidence.addEventListener("mouseup", () => {
      const selection = window.getSelection();
      if (!selection.rangeCount || selection.isCollapsed) return;
      const range = selection.getRangeAt(0);
      const labelOf = (node) => (node.nodeType === 1 ? node : node.parentElement).closest("label");
      const first = labelOf(range.startContainer);
      const last = labelOf(range.endContainer);
      if (!first || first !== last || !evidence.contains(first)) return;  // one sentence at a time
      const radio = document.getElementById(first.htmlFor);
      const base = Number(radio.dataset.start);
      const a = Math.min(range.startOffset, range.endOffset);
      const b = Math.max(range.startOffset, range.endOffset);
      if (range.startContainer !== first.firstChild || b <= a) return;
      radio.checked = true;
      start.value = base + a;
      end.value = base + b;
    });
  }
})();
