// The CSS and the one small script every report page carries inline: pages
// are self-contained files (nothing fetched), readable at 1280 and 1920 px
// and printed on A4 portrait, where low-value columns are dropped rather
// than the reasons.
#include "reports/html_style.h"

namespace vigil::reports::html {

const char* const kStyle = R"css(
:root { --ink:#1d2433; --muted:#555f6d; --line:#d9dde5; --bg:#f6f7f9; --accent:#14365d; --link:#1a4f8b; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0; background: #fff; }
a { color: var(--link); }
.wrap { max-width: 1280px; margin: 0 auto; padding: 0 32px; }
header.page { background: var(--accent); color: #fff; padding: 20px 0; }
header.page h1 { margin: 0 0 4px; font-size: 24px; line-height: 1.25; }
header.page p { margin: 0; }
header.page a { color: #fff; }
header.page .back { display: inline-block; margin-bottom: 6px; font-size: 14px; }
main { padding-bottom: 32px; }
h2 { font-size: 21px; margin: 36px 0 8px; border-bottom: 2px solid var(--ink); padding-bottom: 4px; }
h3 { font-size: 17px; margin: 26px 0 8px; }
h4 { font-size: 15px; margin: 18px 0 6px; }
p { margin: 6px 0; }
nav.contents { border: 1px solid var(--line); background: var(--bg); padding: 10px 16px; margin: 18px 0 8px; }
nav.contents h2 { font-size: 15px; border: 0; margin: 0 0 4px; padding: 0; }
nav.contents ol { margin: 0; padding-left: 20px; }
nav.contents li { margin: 3px 0; }
nav.contents ul { display: inline; margin: 0; padding: 0; }
nav.contents ul li { display: inline; }
nav.contents ul li + li::before { content: " · "; color: var(--muted); }
.cards { display: flex; gap: 10px; flex-wrap: wrap; margin: 10px 0; }
.card { border: 1px solid var(--line); border-left: 6px solid var(--c); border-radius: 4px;
        padding: 8px 12px; min-width: 150px; background: var(--bg); }
.card .n { font-size: 26px; font-weight: 700; font-variant-numeric: tabular-nums; }
.card .l { color: var(--muted); }
.card .d { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 14px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { background: var(--bg); font-weight: 600; }
tbody th { font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.date, .nowrap { white-space: nowrap; }
.key { overflow-wrap: break-word; }
.path, .value { overflow-wrap: anywhere; }
p.wide { margin: 0 0 4px; }
table.entities tbody.entity > tr.facts > * { border-bottom: 0; }
table.entities tbody.entity { border-bottom: 1px solid var(--line); }
table.entities tbody.entity:last-child { border-bottom: 0; }
table.entities tr.why > td { padding: 0 8px 8px 8px; }
table.entities tr.facts > th a { color: var(--ink); }
tr.group > th { background: #e8ecf3; }
ul.reasons { margin: 0; padding: 0; list-style: none; }
ul.reasons li { margin: 3px 0; }
ul.reasons li.level { display: flex; gap: .4em; }
ul.reasons li.level > .lvl { flex: 0 0 5.6em; padding-top: .15em; }
.lvl { display: inline-block; font-size: 12px; font-weight: 700; text-transform: uppercase;
       letter-spacing: .03em; }
.lvl-serious { color: #a4161a; }
.lvl-concern { color: #a84d00; }
.lvl-watch { color: #6b5900; }
.lvl-none { color: var(--muted); }
.pts { color: var(--muted); white-space: nowrap; }
.pill { display: inline-block; padding: 0 8px; border-radius: 10px; color: #fff; font-size: 13px;
        white-space: nowrap; background: var(--c); font-weight: 600; }
.muted { color: var(--muted); }
.empty { color: var(--muted); font-style: italic; }
h3 .count { color: var(--muted); font-weight: 400; }
.override { margin: 0 0 4px; padding: 4px 8px; background: #fff6d6; border-left: 3px solid #8a6d00; }
.note { background: var(--bg); border-left: 3px solid var(--accent); padding: 6px 10px; }
details.list > summary { cursor: pointer; color: var(--link); margin: 4px 0 8px; }
.print-only { display: none; }
.filter { margin: 4px 0; }
.filter input { font: inherit; padding: 4px 8px; width: 22em; max-width: 100%; border: 1px solid #8a93a3;
                border-radius: 4px; }
th[aria-sort] { cursor: pointer; }
th[aria-sort]::after { content: "\00a0↕"; color: var(--muted); font-weight: 400; }
th[aria-sort="ascending"]::after { content: "\00a0↑"; }
th[aria-sort="descending"]::after { content: "\00a0↓"; }
figure { margin: 8px 0 16px; }
figcaption { color: var(--muted); font-size: 13px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 8px 32px; }
.charts figure { margin: 0; }
.charts h4 { margin: 8px 0 2px; }
svg { max-width: 100%; height: auto; }
svg text { font-family: inherit; }
ol.events { display: flex; flex-wrap: wrap; gap: 2px 18px; margin: 4px 0; padding-left: 0; list-style: none; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
footer { color: var(--muted); font-size: 12px; padding: 16px 0; border-top: 1px solid var(--line); }
footer .wrap { overflow-wrap: anywhere; }
@media print {
  @page { size: A4 portrait; margin: 12mm 11mm 13mm; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 11px; line-height: 1.3; }
  .wrap { max-width: none; padding: 0; }
  header.page { background: none; color: var(--ink); padding: 0 0 6px; border-bottom: 2px solid var(--ink); }
  header.page a { color: var(--ink); }
  header.page .back, .filter, .noprint { display: none !important; }
  .print-only { display: block; }
  a { color: inherit; text-decoration: none; }
  h2 { font-size: 16px; margin: 18px 0 6px; }
  h3 { font-size: 13px; margin: 14px 0 6px; }
  table { font-size: 10px; margin: 4px 0 10px; }
  th, td { padding: 3px 4px; }
  th[aria-sort]::after { content: none; }
  .card { min-width: 110px; padding: 4px 8px; }
  .card .n { font-size: 18px; }
  .lvl, .pill { font-size: 9px; }
  tbody.entity, tr, .card, figure, dl.facts, nav.contents { break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; }
  .charts { grid-template-columns: 1fr 1fr; }
  /* On paper a change's causes run on as one paragraph. */
  table.changes ul.reasons li { display: inline; }
  table.changes ul.reasons li + li::before { content: " · "; }
}
)css";

// Sorting and filtering for long lists. The page is complete without it:
// it only adds a filter box and makes column headings sortable. Nothing is
// fetched; a school's facts and reasons move together (one tbody each).
const char* const kScript = R"js(
(function () {
  function rowsOf(table) {
    var groups = table.querySelectorAll(':scope > tbody.entity');
    if (groups.length) return Array.prototype.slice.call(groups);
    var body = table.tBodies[0];
    return body ? Array.prototype.slice.call(body.rows) : [];
  }
  function cellText(row, index) {
    var facts = row.tagName === 'TBODY' ? row.rows[0] : row;
    var cell = facts && facts.cells[index];
    return cell ? (cell.getAttribute('data-value') || cell.textContent).trim() : '';
  }
  function asNumber(text) {
    var t = text.replace(/[,£%\s]/g, '');
    return /^[-+]?\d+(\.\d+)?$/.test(t) ? parseFloat(t) : null;
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, index) {
      th.setAttribute('aria-sort', 'none');
      th.tabIndex = 0;
      function sort() {
        var up = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (h) { h.setAttribute('aria-sort', 'none'); });
        th.setAttribute('aria-sort', up ? 'ascending' : 'descending');
        var rows = rowsOf(table);
        rows.sort(function (a, b) {
          var x = cellText(a, index), y = cellText(b, index), nx = asNumber(x), ny = asNumber(y);
          var c = nx !== null && ny !== null ? nx - ny : x.localeCompare(y);
          return up ? c : -c;
        });
        var parent = rows.length && rows[0].parentNode;
        rows.forEach(function (r) { parent.appendChild(r); });
      }
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); } });
    });
  });
  document.querySelectorAll('table.filterable').forEach(function (table) {
    var label = document.createElement('label');
    label.className = 'filter';
    label.textContent = 'Filter this list: ';
    var input = document.createElement('input');
    input.type = 'search';
    input.placeholder = table.getAttribute('data-filter-hint') || 'name, district, reason…';
    label.appendChild(input);
    table.parentNode.insertBefore(label, table);
    input.addEventListener('input', function () {
      var q = input.value.toLowerCase();
      rowsOf(table).forEach(function (r) { r.hidden = q !== '' && r.textContent.toLowerCase().indexOf(q) < 0; });
    });
  });
})();
)js";

}  // namespace vigil::reports::html
