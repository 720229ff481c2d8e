// @ts-check
// The researcher's view of a running study: every session's state and signals, refreshed every two seconds.
// Incremental: each poll asks only for the sessions changed since the last answer's version and updates their rows.
// All values go on the page with textContent. Type-checked by tsconfig.browser.json against ../views.ts.
'use strict';

/** @typedef {import('../views.ts').ResearcherSession} ResearcherSession */
/**
 * What /api/r/<token>/sessions answers (app.ts).
 * @typedef {{ readonly study: string, readonly runDir: string, readonly policy: string, readonly model: string, readonly version: number, readonly unconsented: number, readonly participants: number, readonly sessions: readonly ResearcherSession[] }} SessionsAnswer
 */

const token = decodeURIComponent(location.pathname.split('/').pop() || '');
const api = `/api/r/${encodeURIComponent(token)}`;

/**
 * @template {HTMLElement} T
 * @param {string} id
 * @param {{ new (): T }} type
 * @returns {T}
 */
function byId(id, type) {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`researcher.html has no ${type.name} #${id}`);
  return node;
}

const page = {
  summary: byId('summary', HTMLElement),
  sessions: byId('sessions', HTMLTableSectionElement),
  writeReport: byId('write-report', HTMLButtonElement),
  reportLink: byId('report-link', HTMLAnchorElement),
  error: byId('error', HTMLElement),
};

/**
 * @param {string} text
 * @param {string} [className]
 */
function cell(text, className) {
  const td = document.createElement('td');
  if (className) td.className = className;
  td.textContent = text;
  return td;
}

/** @param {number | null} value */
const fixed = (value) => (value === null ? '–' : value.toFixed(2));

let version = 0;
/** @type {Map<number, HTMLTableRowElement>} */
const rowsByParticipant = new Map();

/** @param {string} message */
function showError(message) {
  page.error.hidden = false;
  page.error.textContent = message;
}

/** @param {SessionsAnswer} data */
function summaryText(data) {
  return `${data.study} · policy ${data.policy} · model ${data.model} · ${data.participants} session${data.participants === 1 ? '' : 's'} · ${data.unconsented} not (yet) consented · recording to ${data.runDir}`;
}

/** @param {ResearcherSession} s */
function sessionRow(s) {
  const row = document.createElement('tr');
  row.dataset.participant = String(s.participant);
  const status = s.finished ? 'finished' : s.consented ? 'chatting' : 'reading consent';
  row.append(
    cell(String(s.participant)), cell(s.conversation), cell(status), cell(s.endNotice ? `${s.state}: ${s.endNotice}` : s.state),
    cell(`${s.chat} · ${s.branch}`), cell(String(s.turns)), cell(String(s.blocked)),
    cell(`${fixed(s.lastDistress)} / ${fixed(s.peakDistress)}`), cell(String(s.vetoedEnds)), cell(s.tree.join('\n'), 'tree'),
    cell(s.lastActiveAt),
  );
  return row;
}

/** Puts the session's row in place of its old one, or at the end for a new session. @param {ResearcherSession} s */
function showSession(s) {
  const row = sessionRow(s);
  const old = rowsByParticipant.get(s.participant);
  if (old) old.replaceWith(row);
  else page.sessions.append(row);
  rowsByParticipant.set(s.participant, row);
}

async function load() {
  try {
    const response = await fetch(`${api}/sessions?since=${version}`);
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    const data = /** @type {SessionsAnswer} */ (await response.json());
    version = data.version;
    page.summary.textContent = summaryText(data);
    data.sessions.forEach(showSession);
    page.error.hidden = true;
  } catch (error) {
    showError(`Could not load the sessions: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function writeReport() {
  const response = await fetch(`${api}/report`, { method: 'POST' });
  if (!response.ok) {
    showError(`The report could not be written (the server answered ${response.status}).`);
    return;
  }
  const data = /** @type {{ report: string }} */ (await response.json());
  page.reportLink.href = data.report;
  page.reportLink.hidden = false;
}

// The next poll is scheduled when this one is done, so a slow answer never stacks requests.
async function poll() {
  await load();
  setTimeout(poll, 2000);
}

page.writeReport.addEventListener('click', writeReport);
poll();
