(function () {
  var root = document.documentElement, seen = [];
  function record(message) {
    seen.push(String(message));
    root.setAttribute('data-report-errors', seen.join(' | '));
  }
  window.addEventListener('error', function (ev) {
    var t = ev.target;
    record(ev.message || ('failed to load ' + ((t && (t.src || t.href)) || 'a resource')));
  }, true);
  window.addEventListener('unhandledrejection', function (ev) { record('unhandled rejection: ' + ev.reason); });
  document.addEventListener('securitypolicyviolation', function (ev) { record('blocked ' + ev.blockedURI); });
  var consoleError = console.error;
  console.error = function () { record([].slice.call(arguments).join(' ')); consoleError.apply(console, arguments); };
})();
