// "Cite this": fills the chosen paragraph's number into its citations and copies a citation to the clipboard.
// Without JavaScript the document's citations show, with a note on how to cite a paragraph.
(() => {
  const PARAGRAPH = /^#p-([1-9][0-9]{0,3})$/;
  const MARK = "__N__";

  function setup() {
    const box = document.getElementById("cite");
    if (!box) return;
    const list = box.querySelector("[data-cite-paragraph]");
    const help = box.querySelector("[data-cite-help]");
    const status = box.querySelector("[data-copy-status]");
    const templates = [...list.querySelectorAll(".citation")].map((p) => [p, p.cloneNode(true)]);

    function choose() {
      const found = PARAGRAPH.exec(window.location.hash);
      if (!found || !document.getElementById(`p-${found[1]}`)) return;
      for (const [shown, template] of templates) {
        const copy = template.cloneNode(true);
        const walker = document.createTreeWalker(copy, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) walker.currentNode.nodeValue = walker.currentNode.nodeValue.replaceAll(MARK, found[1]);
        shown.replaceChildren(...copy.childNodes);
      }
      document.getElementById("cite-para-heading").textContent = `Paragraph ${found[1]}`;
      list.hidden = false;
      help.hidden = true;
    }

    if (navigator.clipboard) {
      for (const button of box.querySelectorAll("button[data-copy]")) button.hidden = false;
      box.addEventListener("click", async (event) => {
        const button = event.target.closest("button[data-copy]");
        if (!button) return;
        const text = document.getElementById(button.dataset.copy).textContent.replace(/\s+/g, " ").trim();
        try {
          await navigator.clipboard.writeText(text);
          status.textContent = "Copied";
        } catch {
          status.textContent = "Could not copy: select the citation and copy it yourself.";
        }
        window.setTimeout(() => { status.textContent = ""; }, 4000);
      });
    }
    window.addEventListener("hashchange", choose);
    choose();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
