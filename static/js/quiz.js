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

// Put in order: "Move up" and "Move down" buttons beside each event, which renumber the position selects
// from the list's new order. The selects remain the answer, so the question works without JavaScript.
(() => {
  for (const list of document.querySelectorAll(".order-items")) {
    const items = () => [...list.children];
    const position = (item) => Number(item.querySelector("select").value) || Infinity;
    const status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    list.after(status);
    const move = (item, step, button) => {
      // start from the positions already chosen, so a move never discards them
      items().sort((a, b) => position(a) - position(b)).forEach((each) => list.append(each));
      const order = items();
      const target = order[order.indexOf(item) + step];
      if (target) {
        if (step < 0) list.insertBefore(item, target);
        else list.insertBefore(target, item);
      }
      items().forEach((each, n) => { each.querySelector("select").value = String(n + 1); });
      const label = item.querySelector("label").textContent.trim();
      status.textContent = `${label}: position ${items().indexOf(item) + 1} of ${order.length}.`;
      button.focus();
    };
    for (const item of items()) {
      const label = item.querySelector("label").textContent.trim();
      for (const [text, step] of [["Move up", -1], ["Move down", 1]]) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "order-move";
        button.textContent = text;
        button.setAttribute("aria-label", `${text}: ${label}`);
        button.addEventListener("click", () => move(item, step, button));
        item.append(button);
      }
    }
  }
})();
