// @ts-check
// The report's transcript list: filters (policy, class, outcome) and the list of the sampled conversations they let
// through. Choosing one sends it to the conversation view (conversation-view.js) as a `show-conversation` event on
// #conversation-view. Inlined into report.html as a module script (report-page.ts), after conversation-view.js.

/** @typedef {import('../../run-data.ts').TranscriptSample} TranscriptSample */
/** @typedef {import('../../../core/records.ts').ConversationRecord} ConversationRecord */
/** @typedef {{ readonly policy: HTMLSelectElement, readonly cls: HTMLSelectElement, readonly outcome: HTMLSelectElement }} Filters */

/**
 * @template {HTMLElement} T
 * @param {string} id
 * @param {{ new (): T }} type
 * @returns {T | null}
 */
function pageElement(id, type) {
  const node = document.getElementById(id);
  return node instanceof type ? node : null;
}

/**
 * @param {HTMLSelectElement} select
 * @param {readonly string[]} values
 */
function fillFilter(select, values) {
  select.appendChild(new Option('all', ''));
  for (const value of values) select.appendChild(new Option(value, value));
}

/**
 * The distinct values of one field over the records, sorted.
 * @param {readonly TranscriptSample[]} transcripts
 * @param {(record: ConversationRecord) => string} pick
 */
function distinct(transcripts, pick) {
  return [...new Set(transcripts.map((t) => pick(t.record)))].sort();
}

/** @param {ConversationRecord} r */
function conversationLabel(r) {
  return '#' + r.index + ' · ' + r.class + ' · ' + r.policy + ' · ' + r.outcome + (r.vetoedEnds ? ' · ' + r.vetoedEnds + ' vetoed' : '') + (r.branches ? ' · ' + r.branches + ' branch' + (r.branches > 1 ? 'es' : '') : '');
}

/**
 * @param {ConversationRecord} r
 * @param {Filters} filters
 */
function passesFilters(r, filters) {
  return (!filters.policy.value || r.policy === filters.policy.value) && (!filters.cls.value || r.class === filters.cls.value) && (!filters.outcome.value || r.outcome === filters.outcome.value);
}

/**
 * Lists the conversations the filters let through, keeping the selection when it is still listed.
 * @param {HTMLSelectElement} list
 * @param {readonly TranscriptSample[]} transcripts
 * @param {Filters} filters
 */
function refreshList(list, transcripts, filters) {
  const selected = list.value;
  list.textContent = '';
  transcripts.forEach((t, i) => {
    if (!passesFilters(t.record, filters)) return;
    list.appendChild(new Option(conversationLabel(t.record), String(i)));
  });
  if (selected) list.value = selected;
}

/**
 * Asks the conversation view to show a conversation (none: clear it).
 * @param {HTMLElement} view
 * @param {TranscriptSample | undefined} transcript
 */
function show(view, transcript) {
  view.dispatchEvent(new CustomEvent('show-conversation', { detail: transcript }));
}

function startTranscriptList() {
  const list = pageElement('conversation-list', HTMLSelectElement);
  const view = pageElement('conversation-view', HTMLElement);
  const policy = pageElement('filter-policy', HTMLSelectElement);
  const cls = pageElement('filter-class', HTMLSelectElement);
  const outcome = pageElement('filter-outcome', HTMLSelectElement);
  if (!list || !view || !policy || !cls || !outcome) return;
  const data = /** @type {{ transcripts: TranscriptSample[] }} */ (JSON.parse(document.getElementById('report-data')?.textContent ?? '{"transcripts":[]}'));
  const transcripts = data.transcripts;
  /** @type {Filters} */
  const filters = { policy, cls, outcome };
  fillFilter(policy, distinct(transcripts, (r) => r.policy));
  fillFilter(cls, distinct(transcripts, (r) => r.class));
  fillFilter(outcome, distinct(transcripts, (r) => r.outcome));
  [policy, cls, outcome].forEach((filter) => filter.addEventListener('change', () => refreshList(list, transcripts, filters)));
  list.addEventListener('change', () => show(view, transcripts[Number(list.value)]));
  refreshList(list, transcripts, filters);
  if (list.options.length > 0) {
    list.selectedIndex = 0;
    show(view, transcripts[Number(list.value)]);
  }
}

startTranscriptList();
