// Arriving from a search result (?hl=无废城市, or #:~:text= in a browser that does not know text
// fragments): every place the words are in the document is marked, the page scrolls to the first
// one in the text, and a bar at the foot of the screen counts them, steps through them and takes
// the marks away. A word matches as search matches it: spaces and line breaks in the text, case
// and full or half width do not count. Only this page is changed; nothing is fetched.
(function () {
  const article = document.querySelector("[data-search-body]");
  const words = requested().filter((word) => word.trim());
  const terms = words.map((word) => fold(word).replace(/\s+/g, ""));
  if (!article || !terms.length) return;
  const matches = mark(article, terms);
  if (!matches.length) return;
  const body = article.querySelector(".doc-body") ?? article;
  let current = Math.max(0, matches.findIndex((marks) => body.contains(marks[0])));
  const bar = makeBar();
  // An anchor in the address was asked for too: it decides where the page opens.
  if (!location.hash.slice(1) || location.hash.startsWith("#:~:")) go(current);
  else show(current);

  function requested() {
    const asked = new URLSearchParams(location.search).get("hl");
    if (asked) return asked.replace(/["“”]/g, " ").split(/\s+/);
    // textStart and textEnd of "#:~:text=[prefix-,]textStart[,textEnd][,-suffix]"; a browser that
    // knows the syntax takes it out of the address and marks the text itself (::target-text).
    const fragment = location.hash.match(/:~:text=([^&]*)/);
    if (!fragment) return [];
    try {
      return fragment[1].split(",").filter((part) => !part.endsWith("-") && !part.startsWith("-"))
        .map(decodeURIComponent);
    } catch {
      return [];
    }
  }

  function show(index) {
    matches[current].forEach((element) => element.classList.remove("hl-current"));
    current = index;
    matches[current].forEach((element) => element.classList.add("hl-current"));
    bar.count.textContent = `“${words.join(" ")}” 第 ${current + 1}/${matches.length} 处`;
  }

  function go(index) {
    show((index + matches.length) % matches.length);
    matches[current][0].scrollIntoView({ block: "center" });
  }

  function makeBar() {
    const element = document.createElement("div");
    element.className = "hl-bar";
    const count = document.createElement("p");
    count.setAttribute("role", "status");
    const button = (text, action) => {
      const node = document.createElement("button");
      node.type = "button";
      node.textContent = text;
      node.addEventListener("click", action);
      return node;
    };
    element.append(count, button("上一处", () => go(current - 1)), button("下一处", () => go(current + 1)),
      button("取消", clear));
    document.body.append(element);
    document.documentElement.classList.add("has-hl-bar");
    return { element, count };
  }

  function clear() {
    for (const element of matches.flat()) element.replaceWith(...element.childNodes);
    article.normalize();
    bar.element.remove();
    document.documentElement.classList.remove("has-hl-bar");
    const address = new URL(location.href);
    address.searchParams.delete("hl");
    history.replaceState(null, "", address);
  }
})();

// A character as search compares it: NFKC (full-width letters and digits as half-width), lower case;
// one that would become several stays as it is, so each position of the text keeps its place.
function fold(text) {
  return [...text].map((char) => {
    const folded = char.normalize("NFKC").toLowerCase();
    return folded.length === char.length ? folded : char;
  }).join("");
}

// Wraps each occurrence of each term in <mark> elements (one for each text node it spans: a match may
// run over a link or a page mark, never from one paragraph or cell into the next); the marks of each
// occurrence, in the order of the text.
function mark(root, terms) {
  const BLOCK = "p, li, td, th, caption, h1, h2, h3, h4, h5, h6, dt, dd, div, section, header, article";
  const positions = []; // of each character of `text`: [text node, offset], null at a block's edge
  let text = "";
  let block = null;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const around = node.parentElement.closest(BLOCK);
    if (around !== block) {
      text += "\u0000";
      positions.push(null);
      block = around;
    }
    const folded = fold(node.data);
    for (let offset = 0; offset < folded.length; offset++) {
      if (/\s/.test(folded[offset])) continue;
      text += folded[offset];
      positions.push([node, offset]);
    }
  }
  const found = [];
  for (const term of terms) {
    for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + 1)) found.push([at, at + term.length]);
  }
  found.sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const [start, end] of found) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  // Each occurrence as pieces of text nodes; wrapped from the last piece back, so that splitting a
  // node never moves a piece not yet wrapped.
  const pieces = [];
  merged.forEach(([start, end], occurrence) => {
    for (let at = start; at < end; at++) {
      const [node, offset] = positions[at];
      const piece = pieces[pieces.length - 1];
      if (piece && piece.node === node && piece.occurrence === occurrence) piece.end = offset + 1;
      else pieces.push({ node, start: offset, end: offset + 1, occurrence });
    }
  });
  const occurrences = merged.map(() => []);
  for (const piece of pieces.reverse()) {
    const inside = piece.node.splitText(piece.start);
    inside.splitText(piece.end - piece.start);
    const element = document.createElement("mark");
    element.className = "hl";
    inside.replaceWith(element);
    element.append(inside);
    occurrences[piece.occurrence].unshift(element);
  }
  return occurrences;
}
