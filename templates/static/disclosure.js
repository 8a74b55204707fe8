// A <details> that is open on wide screens and closed on narrow ones (a phone's first screen
// belongs to the text): the document's outline, the search filters, an issue's cover facts.
// The width is the media query in its data-open-at, as in site.css. Without this script
// they stay closed, and open with a tap. A link to one (目录 at the foot of a document's
// screen) opens it.
function openTarget() {
  const target = location.hash && document.getElementById(location.hash.slice(1));
  if (target && target.matches("details[data-open-at]")) target.open = true;
}

for (const details of document.querySelectorAll("details[data-open-at]")) {
  const wide = window.matchMedia(details.dataset.openAt);
  const apply = () => { details.open = wide.matches; };
  apply();
  wide.addEventListener("change", apply);
  // Where it is closed it lies over the text when opened: a link followed from it closes it again,
  // so the place it leads to is in view.
  details.addEventListener("click", (event) => {
    if (!wide.matches && event.target.closest("a")) details.open = false;
  });
}

window.addEventListener("hashchange", openTarget);
openTarget();
