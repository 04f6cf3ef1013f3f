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

// A display formula wider than the column scrolls sideways: make it reachable by keyboard
// (axe: scrollable-region-focusable), and only then, so narrow formulas add no tab stops.
function focusableWhenScrolling() {
  for (const el of document.querySelectorAll(".katex-display")) {
    if (el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight) {
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "region");
      el.setAttribute("aria-label", "formula");
    } else {
      for (const name of ["tabindex", "role", "aria-label"]) el.removeAttribute(name);
    }
  }
}
// Widths change after the first render: KaTeX's fonts arrive, figures load and make the
// page tall enough for a scroll bar, the window is resized. Watch each formula's size.
const formulaSizes = new ResizeObserver(focusableWhenScrolling);
document$.subscribe(() => {
  formulaSizes.disconnect();
  for (const el of document.querySelectorAll(".katex-display")) formulaSizes.observe(el);
  document.fonts.ready.then(focusableWhenScrolling);
});
