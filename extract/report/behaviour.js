document.querySelectorAll('.tools button').forEach(function (button) {
  button.addEventListener('click', function () {
    var open = button.getAttribute('data-open') === '1';
    document.querySelectorAll('main details').forEach(function (d) { d.open = open; });
  });
});
document.documentElement.setAttribute('data-report-ready', String(document.querySelectorAll('svg.chart').length));
