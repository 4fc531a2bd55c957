// Reports first paint the way Liaison's app.js does: two frames, then `ui_ready` with the page's
// own figures.
requestAnimationFrame(() => requestAnimationFrame(() => {
  const page = { timeOrigin: performance.timeOrigin, pageMs: performance.now(), ipcCalls: 0 };
  window.__TAURI__.core.invoke('ui_ready', { page }).catch(() => {});
}));
