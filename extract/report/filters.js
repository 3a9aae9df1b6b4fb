(function () {
  var form = document.getElementById('filters');
  if (!form) { return; }
  var records = [].slice.call(document.querySelectorAll('[data-rec]'));
  var rows = [].slice.call(document.querySelectorAll('#records tbody tr'));
  var shown = document.getElementById('shown');

  function current() {
    var f = {};
    form.querySelectorAll('[data-filter]').forEach(function (el) {
      f[el.name] = el.name === 'q' ? el.value.trim().toLowerCase() : el.value;
    });
    return f;
  }
  function hit(el, f) {
    var d = el.dataset;
    return (!f.m || d.m === f.m) && (!f.d || d.d === f.d) && (!f.s || d.s === f.s) &&
      (!f.t || (' ' + d.t + ' ').indexOf(' ' + f.t + ' ') >= 0) &&
      (!f.q || el.textContent.toLowerCase().indexOf(f.q) >= 0);
  }
  function hideUnless(selector, test) {
    document.querySelectorAll(selector).forEach(function (el) { el.hidden = !test(el); });
  }
  function apply() {
    var f = current(), active = Object.keys(f).some(function (k) { return f[k]; });
    records.forEach(function (el) { el.dataset.hit = hit(el, f) ? '1' : '0'; });
    var matched = '[data-rec][data-hit="1"]';
    hideUnless('li.rec, .ind, #records tbody tr', function (el) { return el.dataset.hit === '1'; });
    hideUnless('.goal, .kind, .document, section.municipality, details.indicators',
               function (el) { return !!el.querySelector(matched); });
    document.querySelectorAll('details.goal').forEach(function (d) {
      d.open = active && !!d.querySelector('.body ' + matched);
    });
    var visible = rows.filter(function (r) { return !r.hidden; }).length;
    shown.textContent = visible + ' of ' + rows.length + ' records';
    document.documentElement.setAttribute('data-records-shown', String(visible));
  }
  form.addEventListener('input', apply);
  form.addEventListener('change', apply);
  form.addEventListener('submit', function (ev) { ev.preventDefault(); });
  form.addEventListener('reset', function () { setTimeout(apply, 0); });

  document.querySelectorAll('[data-open-m]').forEach(function (cell) {
    cell.addEventListener('click', function () {
      form.reset();
      form.elements.m.value = cell.getAttribute('data-open-m');
      form.elements.t.value = cell.getAttribute('data-open-t');
      apply();
      document.getElementById('records').scrollIntoView();
    });
  });

  function csvCell(value) {
    value = value == null ? '' : String(value);
    return /[",\n\r]/.test(value) ? '"' + value.replace(/"/g, '""') + '"' : value;
  }
  document.getElementById('download-csv').addEventListener('click', function () {
    var head = ['municipality_code', 'municipality', 'document_id', 'source_file', 'record_type', 'record_id',
                'number', 'title', 'status', 'themes', 'page_no'];
    var lines = [head.join(',')];
    rows.filter(function (r) { return !r.hidden; }).forEach(function (r) {
      var cells = r.querySelectorAll('td'), d = r.dataset;
      lines.push([d.m, cells[0].textContent, d.d, d.file, d.kind, d.id, cells[3].textContent,
                  cells[4].textContent, d.status, d.t, d.page].map(csvCell).join(','));
    });
    var link = document.createElement('a');
    link.href = 'data:text/csv;charset=utf-8,' + encodeURIComponent(lines.join('\r\n') + '\r\n');
    link.download = 'records.csv';
    document.body.appendChild(link);
    link.click();
    link.remove();
  });
  apply();
})();
