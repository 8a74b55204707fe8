// Table boxes (render/table.py): a box is a named, focusable scroll region only while its
// table overflows it (elsewhere it would be one more Tab stop for nothing), and its wrapper
// tells site.css on which sides columns are out of view: data-overflow shows the hint
// 「左右滑动查看」, data-more-left and data-more-right the shadows at those edges.
for (const box of document.querySelectorAll(".table-scroll")) {
  const wrap = box.parentElement;
  const name = box.getAttribute("aria-label");
  const update = () => {
    const wide = box.scrollWidth > box.clientWidth + 1;
    if (wide || box.scrollHeight > box.clientHeight + 1) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", name);
    } else {
      for (const attribute of ["tabindex", "role", "aria-label"]) box.removeAttribute(attribute);
    }
    wrap.toggleAttribute("data-overflow", wide);
    wrap.toggleAttribute("data-more-left", box.scrollLeft > 1);
    wrap.toggleAttribute("data-more-right", box.scrollLeft + box.clientWidth < box.scrollWidth - 1);
  };
  update();  // now, so that the page never shows a Tab stop for nothing; again when sizes change
  box.addEventListener("scroll", update, { passive: true });
  const resized = new ResizeObserver(update);
  resized.observe(box);
  resized.observe(box.querySelector("table"));
}
