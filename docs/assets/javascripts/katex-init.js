// Render every formula with the KaTeX served by this site (no CDN).
// Material replaces page content without reloading (instant navigation), so render on
// each document$ emission, not once on load.
document$.subscribe(({ body }) => {
  renderMathInElement(body, {
    delimiters: [
      { left: "$$", right: "$$", display: true },
      { left: "\\[", right: "\\]", display: true },
      { left: "\\(", right: "\\)", display: false },
      { left: "$", right: "$", display: false },
    ],
    ignoredClasses: ["highlight", "jp-OutputArea-output"],
    throwOnError: false,
  });
});

// A display formula or a printed output wider than the column scrolls sideways: make it
// reachable by keyboard (axe: scrollable-region-focusable), and only then, so narrow
// ones add no tab stops.
const SCROLLERS = ".katex-display, .jp-OutputArea-output pre";
function focusableWhenScrolling() {
  for (const el of document.querySelectorAll(SCROLLERS)) {
    if (el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight) {
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "region");
      const formula = el.classList.contains("katex-display");
      el.setAttribute("aria-label", formula ? "formula" : "printed output");
    } else {
      for (const name of ["tabindex", "role", "aria-label"]) el.removeAttribute(name);
    }
  }
}
// Widths change after the first render: KaTeX's fonts arrive, figures load and make the
// page tall enough for a scroll bar, the window is resized. Watch each one's size.
const scrollerSizes = new ResizeObserver(focusableWhenScrolling);
document$.subscribe(() => {
  scrollerSizes.disconnect();
  for (const el of document.querySelectorAll(SCROLLERS)) scrollerSizes.observe(el);
  document.fonts.ready.then(focusableWhenScrolling);
});
