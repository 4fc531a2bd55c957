// Loaded as a classic script before the modules: any uncaught error, including a module that fails
// to load, is shown in the page rather than lost in a console nobody reads.
(function () {
  function show(message) {
    var box = document.getElementById('banners');
    if (!box) return;
    var div = document.createElement('div');
    div.className = 'banner error';
    var text = document.createElement('span');
    text.className = 'banner-text';
    text.textContent = String(message);
    div.appendChild(text);
    box.appendChild(div);
  }
  window.addEventListener('error', function (e) { show(e.message || e.error || 'Error'); });
  window.addEventListener('unhandledrejection', function (e) {
    var r = e.reason;
    show((r && r.message) || String(r));
  });
})();
