// @ts-check
// The report's metrics tables sort on a click on a column header (again: the other way), or Enter or Space on it.
// Cells sort by their data-sort value where they have one (numbers; the policies' numeric sweep order), else by
// their text. Inlined into report.html as a module script (report-page.ts).

/**
 * @param {HTMLTableCellElement | undefined} cell
 * @returns {number | string}
 */
function sortKey(cell) {
  if (!cell) return '';
  const raw = cell.getAttribute('data-sort');
  if (raw !== null && raw !== '' && !isNaN(Number(raw))) return Number(raw);
  return (cell.textContent ?? '').trim();
}

/**
 * Numbers by value, anything else as text with embedded numbers in numeric order.
 * @param {number | string} x
 * @param {number | string} y
 */
function compareKeys(x, y) {
  return typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
}

/**
 * Sorts the table's body rows by one column, the other way from its header's current order, and marks the header.
 * @param {HTMLTableElement} table
 * @param {HTMLTableCellElement} header
 * @param {number} column
 */
function sortByColumn(table, header, column) {
  const body = table.tBodies[0];
  if (!body) return;
  const ascending = header.getAttribute('aria-sort') !== 'ascending';
  table.querySelectorAll('thead th').forEach((other) => other.removeAttribute('aria-sort'));
  header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
  const rows = Array.from(body.rows);
  rows.sort((a, b) => {
    const order = compareKeys(sortKey(a.cells[column]), sortKey(b.cells[column]));
    return ascending ? order : -order;
  });
  rows.forEach((row) => body.appendChild(row));
}

/**
 * Makes each sortable header of the table sort it on a click, or on Enter or Space (the header takes focus).
 * @param {HTMLTableElement} table
 */
function makeSortable(table) {
  table.querySelectorAll('thead th.sortable').forEach((header, column) => {
    if (!(header instanceof HTMLTableCellElement)) return;
    header.tabIndex = 0;
    header.addEventListener('click', () => sortByColumn(table, header, column));
    header.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault();
      sortByColumn(table, header, column);
    });
  });
}

document.querySelectorAll('table.metrics').forEach((table) => {
  if (table instanceof HTMLTableElement) makeSortable(table);
});
