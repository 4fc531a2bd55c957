// Loaded as a classic script before the modules: any uncaught error, including a module that fails
// to load, is shown in the page rather than lost in a console nobody reads, and can be dismissed.
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
    // The label is the catalog's, once i18n.js has loaded it; before that a plain cross.
    var close = document.createElement('button');
    close.type = 'button';
    close.className = 'link banner-dismiss';
    close.textContent = window.LIAISON_DISMISS || '\u00d7';
    close.addEventListener('click', function () { div.remove(); });
    div.appendChild(close);
    box.appendChild(div);
  }
  window.addEventListener('error', function (e) { show(e.message || e.error || 'Error'); });
  window.addEventListener('unhandledrejection', function (e) {
    var r = e.reason;
    show((r && r.message) || String(r));
  });
})();
