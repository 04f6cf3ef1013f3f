// The install line under a tutorial's title: pip needs the wheel's full URL, which only
// the browser knows (the site may be served from anywhere).
document$.subscribe(() => {
  for (const code of document.querySelectorAll("code.annlab-install[data-wheel]")) {
    code.textContent = `pip install ${new URL(code.dataset.wheel, location.href).href}`;
  }
});
