(function () {
  "use strict";
  var table = document.getElementById("creator-table");
  var body = table.tBodies[0];
  var filter = document.getElementById("filter");
  var tier = document.getElementById("tier-filter");
  var shown = document.getElementById("shown");
  var cards = document.querySelectorAll(".card");

  function value(row, column, numeric) {
    var cell = row.cells[column];
    var raw = cell.hasAttribute("data-v") ? cell.getAttribute("data-v") : cell.textContent.trim();
    if (!numeric) return raw.toLowerCase();
    return raw === "" ? null : parseFloat(raw);
  }

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    th.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); th.click(); }
    });
    th.addEventListener("click", function () {
      var numeric = th.getAttribute("data-type") === "number";
      var descending = th.getAttribute("aria-sort") ? th.getAttribute("aria-sort") === "ascending" : numeric;
      Array.prototype.forEach.call(th.parentNode.cells, function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = value(a, th.cellIndex, numeric), y = value(b, th.cellIndex, numeric);
        if (x === y) return 0;
        if (x === null) return 1;
        if (y === null) return -1;
        return (x < y ? -1 : 1) * (descending ? -1 : 1);
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });

  function applyFilter() {
    var words = filter.value.toLowerCase().trim();
    var wanted = tier.value;
    var count = 0;
    function keep(element) {
      var ok = element.getAttribute("data-search").indexOf(words) !== -1 &&
        (wanted === "" || element.getAttribute("data-tier") === wanted);
      element.hidden = !ok;
      return ok;
    }
    Array.prototype.forEach.call(body.rows, function (row) { if (keep(row)) count += 1; });
    Array.prototype.forEach.call(cards, keep);
    shown.textContent = count + " of " + body.rows.length + " shown";
  }
  var buttons = document.querySelectorAll("[data-view]");
  Array.prototype.forEach.call(buttons, function (button) {
    button.addEventListener("click", function () {
      Array.prototype.forEach.call(buttons, function (other) {
        var on = other === button;
        other.setAttribute("aria-pressed", on ? "true" : "false");
        document.getElementById(other.getAttribute("data-view")).classList.toggle("off", !on);
      });
    });
  });

  filter.addEventListener("input", applyFilter);
  tier.addEventListener("change", applyFilter);
  applyFilter();
})();
