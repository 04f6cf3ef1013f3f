// A display formula or a printed output wider than the column scrolls sideways: make it
// reachable by keyboard (axe: scrollable-region-focusable), and only then, so narrow
// ones add no tab stops. Setting these attributes moves nothing on the page.
const SCROLLERS = ".annlab-display-math, .jp-OutputArea-output pre";
function scrolls(el) {
  return el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight;
}
function mark(el, scrolling) {
  if (scrolling) {
    if (el.getAttribute("tabindex") === "0") return;
    el.setAttribute("tabindex", "0");
    el.setAttribute("role", "region");
    const formula = el.classList.contains("annlab-display-math");
    el.setAttribute("aria-label", formula ? "formula" : "printed output");
  } else if (el.hasAttribute("tabindex")) {
    for (const name of ["tabindex", "role", "aria-label"]) el.removeAttribute(name);
  }
}
// Measure every box first, then set attributes: a write between two reads would make
// the browser lay the page out again for each box.
function markAll(elements) {
  const verdicts = elements.map(el => scrolls(el));
  elements.forEach((el, i) => mark(el, verdicts[i]));
}
// Only boxes the browser has laid out are measured (measuring the others would lay out
// the whole page at once): a tutorial's later cells are laid out as they come near the
// screen (content-visibility: auto), and the observer reports each box then, as it
// reports every size change after (a figure above loads, the window is resized).
const scrollerSizes = new ResizeObserver(entries => {
  markAll(entries.map(entry => entry.target));
});
document$.subscribe(() => {
  scrollerSizes.disconnect();
  const scrollers = [...document.querySelectorAll(SCROLLERS)];
  for (const el of scrollers) scrollerSizes.observe(el);
  // The math font changes a formula's width but not its box's: measure again once it
  // has arrived, the boxes laid out by then.
  document.fonts.ready.then(() => {
    markAll(scrollers.filter(el => el.checkVisibility({ contentVisibilityAuto: true })));
  });
});

// Material's search overlay has role="dialog" but no accessible name: give it one.
document$.subscribe(() => {
  const search = document.querySelector(".md-search");
  if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");
});
