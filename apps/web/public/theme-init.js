/* The colour theme before the first paint (decision 0040): the choice remembered on this device
   (platform/theme-state.ts, key "atrium.theme") as data-theme on <html>; "system" (nothing
   stored) leaves it to prefers-color-scheme. A same-origin file: the CSP has no inline scripts. */
(function () {
  try {
    var choice = window.localStorage.getItem("atrium.theme");
    if (choice === "light" || choice === "dark") document.documentElement.setAttribute("data-theme", choice);
  } catch (e) {
    /* storage unavailable: follow the system */
  }
})();
