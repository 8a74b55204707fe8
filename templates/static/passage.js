// Citing a passage. A reader who follows the link of a heading, a printed page's mark or any
// other anchor of the text (the address's #…) gets, in 永久网址与引用, that anchor and the
// printed pages the passage runs over, read from the page marks in the text (render/markdown.py):
// "…, 2023(1): 75-76. https://…/doc/<id>/#s-2-3". Without this script the fields cite the whole
// document, which is still right.
(function () {
  const cite = document.querySelector(".cite[data-cite-head]");
  const body = document.querySelector(".doc-body");
  if (!cite || !body) return;
  const permalink = document.getElementById("permalink");
  const citation = document.getElementById("citation");
  const scope = document.getElementById("cite-scope");
  const whole = { url: permalink.value, citation: citation.value };
  const marks = [...body.querySelectorAll(".page-mark[data-page]")];
  const HEADING = "h2, h3, h4, h5, h6";
  const headings = [...body.querySelectorAll(HEADING)];

  const precedes = (a, b) => Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING)
    && !a.contains(b);
  // A mark before any text of the element it is in: the element begins on that page.
  const leading = (element, mark) => {
    const before = document.createRange();
    before.setStart(element, 0);
    before.setEndBefore(mark);
    return before.toString().trim() === "";
  };
  const level = (heading) => Number(heading.tagName[1]);

  // The printed pages a passage runs over, "75" or "75-76"; "" where no page is known.
  function pages(target) {
    if (target.matches(".page-mark")) return target.dataset.page;
    // A heading's passage is its section, up to the next heading of its level or above;
    // any other element's (a 名词解释 entry, a 大事记 day) is the element.
    const heading = target.matches(HEADING);
    const end = heading ? headings.find((h) => precedes(target, h) && level(h) <= level(target)) : null;
    const within = (mark) => target.contains(mark)
      || (heading && precedes(target, mark) && (!end || precedes(mark, end)));
    let first = cite.dataset.firstPage;
    let last = first;
    for (const mark of marks) {
      if (precedes(mark, target) || (target.contains(mark) && leading(target, mark))) first = last = mark.dataset.page;
      else if (within(mark)) last = mark.dataset.page;
    }
    return first && last !== first ? `${first}-${last}` : first;
  }

  function label(target) {
    if (target.matches(".page-mark")) return `第 ${target.dataset.page} 页`;
    const text = target.textContent.replace(/\s+/g, " ").trim();
    return text.length > 24 ? `${text.slice(0, 24)}…` : text;
  }

  function show() {
    let id = "";
    try {
      id = decodeURIComponent(location.hash.slice(1));
    } catch {
      // not an anchor of ours: cite the whole document
    }
    const target = id && document.getElementById(id);
    scope.hidden = false;
    if (!target || !body.contains(target)) {
      permalink.value = whole.url;
      citation.value = whole.citation;
      scope.textContent = "下面引用的是全文。点选正文中的小标题或页码，即可引用该处。";
      return;
    }
    const range = pages(target);
    permalink.value = `${whole.url}#${id}`;
    citation.value = `${cite.dataset.citeHead}${range ? `: ${range}` : ""}. ${permalink.value}`;
    scope.textContent = `下面引用的是“${label(target)}”${range ? `（第 ${range.replace("-", "–")} 页）` : ""}。`;
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "改为引用全文";
    button.addEventListener("click", () => {
      history.replaceState(null, "", location.pathname + location.search);
      show();
    });
    scope.append(" ", button);
  }

  window.addEventListener("hashchange", show);
  show();
})();
