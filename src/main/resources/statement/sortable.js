// Sorts a table by the column whose header is clicked: numbers by their data-value, text otherwise.
(function () {
  'use strict';
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var headers = table.querySelectorAll('th');
    headers.forEach(function (th, column) {
      th.classList.add('sortable');
      th.setAttribute('tabindex', '0');
      function sort() {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        headers.forEach(function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column], y = b.cells[column];
          var vx = x.getAttribute('data-value'), vy = y.getAttribute('data-value');
          var order = (vx !== null && vy !== null) ? Number(vx) - Number(vy) : x.textContent.localeCompare(y.textContent);
          return ascending ? order : -order;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter') { sort(); } });
    });
  });
  document.body.setAttribute('data-sortable', 'ready');
})();
