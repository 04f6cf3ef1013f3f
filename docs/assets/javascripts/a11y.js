// Material's search overlay has role="dialog" but no accessible name: give it one.
document$.subscribe(() => {
  const search = document.querySelector(".md-search");
  if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");
});
