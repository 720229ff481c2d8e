// @ts-check
// The report's conversation view: the chosen conversation's facts, its branch tree and the turns of the chosen
// branch, drawn when transcript-list.js sends a `show-conversation` event to #conversation-view. Inlined into
// report.html as a module script (report-page.ts). Every text from a run is set with textContent, never as
// markup: user and model texts in this project are hostile by design.

/** @typedef {import('../../run-data.ts').TranscriptSample} TranscriptSample */
/** @typedef {import('../../../core/records.ts').ConversationRecord} ConversationRecord */
/** @typedef {import('../../../core/records.ts').RunEvent} RunEvent */
/** @typedef {import('../../../core/records.ts').TurnEvent} TurnEvent */
/** @typedef {import('../../../core/records.ts').BlockedEvent} BlockedEvent */
/** @typedef {import('../../../core/records.ts').BranchEvent} BranchEvent */
/** @typedef {import('../../../core/conversation-events.ts').GateDecision} GateDecision */
/** @typedef {import('../../../core/labels.ts').TurnLabels} TurnLabels */
/** @typedef {import('../../../core/signals.ts').SignalReading} SignalReading */
/** Per chat, the branch events forking from each branch: the branch tree. @typedef {Map<number, Map<number, BranchEvent[]>>} BranchTree */

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string | null} [className]
 * @param {string | number | null} [text]
 * @returns {HTMLElementTagNameMap[K]}
 */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** @param {number} value */
const twoDecimals = (value) => Number(value).toFixed(2);

/**
 * @param {HTMLElement} parent
 * @param {string} label
 * @param {string | number} value
 */
function fact(parent, label, value) {
  const item = el('div', 'fact');
  item.appendChild(el('span', 'fact-label', label));
  item.appendChild(el('span', 'fact-value', value));
  parent.appendChild(item);
}

/** @param {ConversationRecord} r */
function conversationFacts(r) {
  const facts = el('div', 'facts');
  fact(facts, 'policy', r.policy);
  fact(facts, 'model', r.model);
  fact(facts, 'seed', r.seed);
  fact(facts, 'outcome', r.outcome + (r.turnsToEnd !== null ? ' at turn ' + r.turnsToEnd : ''));
  fact(facts, 'turns', r.turns);
  fact(facts, 'redirects', r.redirects);
  fact(facts, 'vetoed ends', r.vetoedEnds);
  fact(facts, 'distress exposure', twoDecimals(r.distressExposure));
  fact(facts, 'peak distress', twoDecimals(r.peakDistress));
  fact(facts, 'blocked after end', r.blockedAfterEnd);
  fact(facts, 'branches', r.branches);
  fact(facts, 'id', r.id);
  if (r.error) fact(facts, 'error', r.error);
  return facts;
}

/** @param {GateDecision} gate */
function gateText(gate) {
  if (!gate || gate.decision === 'none') return '';
  if (gate.decision === 'permitted') return 'end permitted (' + gate.initiator + ', ' + gate.basis + ')';
  return 'end VETOED (' + gate.initiator + ': ' + gate.reason + ')';
}

/** Every instrument's reading of a turn (lexical, probe, judge), not only the primary one. @param {SignalReading} r */
function readingText(r) {
  /** @type {string[]} */
  const parts = [r.source];
  if (typeof r.distress === 'number') parts.push('distress ' + r.distress.toFixed(2));
  if (r.preference) parts.push(r.preference + (typeof r.strength === 'number' ? ' ' + r.strength.toFixed(2) : ''));
  if (r.rationale) parts.push('“' + r.rationale + '”');
  return parts.join(' · ');
}

/** @param {TurnLabels} labels */
function labelsText(labels) {
  /** @type {string[]} */
  const parts = [labels.category, 'severity ' + twoDecimals(labels.severity)];
  if (labels.atRisk) parts.push('AT RISK');
  if (labels.requestsEnd) parts.push('asks to end');
  return parts.join(' · ');
}

/**
 * The user's message cell: the text and its ground-truth labels.
 * @param {{ readonly text: string, readonly labels: TurnLabels }} user
 */
function userCell(user) {
  const cell = el('td', 'user');
  cell.appendChild(el('div', 'text user-text', user.text));
  cell.appendChild(el('div', 'labels', labelsText(user.labels)));
  return cell;
}

/** @param {TurnEvent} e */
function modelCell(e) {
  const cell = el('td', 'model');
  cell.appendChild(el('div', 'text model-text', e.model.text));
  cell.appendChild(el('div', 'labels', e.model.action + (e.model.warning ? ' · warns' : '') + (e.model.told ? ' · told: ' + e.model.told : '')));
  return cell;
}

/** The primary distress reading, with every instrument's reading below it. @param {TurnEvent} e */
function distressCell(e) {
  const d = e.model.signals.distress;
  const cell = el('td', 'num', twoDecimals(d.value) + ' (' + d.source + ')');
  (e.model.signals.readings || []).forEach((r) => cell.appendChild(el('div', 'labels reading', readingText(r))));
  return cell;
}

/**
 * @param {HTMLTableRowElement} row
 * @param {TurnEvent} e
 */
function fillTurnRow(row, e) {
  row.appendChild(el('td', 'turn-no', e.turn));
  row.appendChild(userCell(e.user));
  row.appendChild(modelCell(e));
  row.appendChild(distressCell(e));
  const p = e.model.signals.preference;
  row.appendChild(el('td', p.choice === 'end' ? 'prefers-end' : null, p.choice + ' ' + twoDecimals(p.strength)));
  row.appendChild(el('td', e.gate.decision === 'vetoed' ? 'vetoed' : e.gate.decision === 'permitted' ? 'permitted' : null, gateText(e.gate)));
  row.appendChild(el('td', 'state state-' + e.state, e.state + (e.redirects ? ' · ' + e.redirects + (e.redirects === 1 ? ' redirect' : ' redirects') : '')));
}

/**
 * @param {HTMLTableRowElement} row
 * @param {BlockedEvent} e
 */
function fillBlockedRow(row, e) {
  row.appendChild(el('td', 'turn-no', e.turn));
  row.appendChild(userCell(e.user));
  const note = el('td', 'blocked-note', 'blocked: the conversation had ended, so this message was not answered');
  note.colSpan = 4;
  row.appendChild(note);
  row.appendChild(el('td', 'state state-ended', 'ended'));
}

/**
 * A row of one note across the whole table (a fork, a new chat).
 * @param {HTMLTableRowElement} row
 * @param {string} text
 */
function fillNoteRow(row, text) {
  const note = el('td', 'branch-note', text);
  note.colSpan = 7;
  row.appendChild(note);
}

/** @param {RunEvent} e */
function eventRow(e) {
  const row = el('tr', 'turn-row ' + e.type);
  if (e.type === 'turn') fillTurnRow(row, e);
  else if (e.type === 'blocked') fillBlockedRow(row, e);
  else if (e.type === 'branch') fillNoteRow(row, 'branch ' + e.branch + ' forks from branch ' + e.fromBranch + ' before turn ' + e.atTurn + (e.afterEnd ? ' (edit after an end)' : ''));
  else fillNoteRow(row, 'new chat ' + e.chat + ' started after an end');
  return row;
}

/**
 * The table of one branch's events.
 * @param {readonly RunEvent[]} events
 * @param {number} chat
 * @param {number} branch
 */
function turnTable(events, chat, branch) {
  const table = el('table', 'turns');
  const head = el('tr');
  ['turn', 'user', 'model', 'distress', 'preference', 'gate', 'state'].forEach((h) => head.appendChild(el('th', null, h)));
  const thead = el('thead');
  thead.appendChild(head);
  table.appendChild(thead);
  const body = el('tbody');
  events.filter((e) => e.chat === chat && e.branch === branch).forEach((e) => body.appendChild(eventRow(e)));
  table.appendChild(body);
  return table;
}

/** Branches as a tree: each chat has branch 0; each branch event forks a child from its parent before a turn. @param {readonly RunEvent[]} events */
function branchTree(events) {
  /** @type {BranchTree} */
  const chats = new Map();
  for (const e of events) {
    const children = chats.get(e.chat) ?? new Map();
    chats.set(e.chat, children);
    if (e.type !== 'branch') continue;
    const kids = children.get(e.fromBranch) ?? [];
    children.set(e.fromBranch, kids);
    kids.push(e);
  }
  return chats;
}

/**
 * One branch's item in the tree, with its children below it; its button shows the branch's turns.
 * @param {BranchTree} chats
 * @param {number} chat
 * @param {number} branch
 * @param {BranchEvent | null} fork
 * @param {(chat: number, branch: number, button: HTMLButtonElement) => void} select
 * @returns {HTMLLIElement}
 */
function branchItem(chats, chat, branch, fork, select) {
  const item = el('li');
  const label = 'branch ' + branch + (fork ? ' — edit at turn ' + fork.atTurn + (fork.afterEnd ? ', after the end' : '') : ' (original)');
  const button = el('button', 'branch-button', label);
  button.type = 'button';
  button.addEventListener('click', () => select(chat, branch, button));
  item.appendChild(button);
  const kids = chats.get(chat)?.get(branch) ?? [];
  if (kids.length) {
    const sub = el('ul');
    kids.forEach((k) => sub.appendChild(branchItem(chats, chat, k.branch, k, select)));
    item.appendChild(sub);
  }
  return item;
}

/**
 * The branch tree beside the turns of the chosen branch (at first the first chat's original branch).
 * @param {readonly RunEvent[]} events
 */
function branchBrowser(events) {
  const chats = branchTree(events);
  const tree = el('ul', 'branch-tree');
  const detail = el('div', 'branch-detail');
  /** @type {(chat: number, branch: number, button: HTMLButtonElement) => void} */
  const select = (chat, branch, button) => {
    tree.querySelectorAll('button').forEach((b) => b.classList.remove('current'));
    button.classList.add('current');
    detail.textContent = '';
    detail.appendChild(el('h4', null, 'Chat ' + chat + ', branch ' + branch));
    detail.appendChild(turnTable(events, chat, branch));
  };
  [...chats.keys()].sort((a, b) => a - b).forEach((chat) => {
    const chatItem = el('li', null);
    chatItem.appendChild(el('span', 'chat-label', 'chat ' + chat));
    const sub = el('ul');
    sub.appendChild(branchItem(chats, chat, 0, null, select));
    chatItem.appendChild(sub);
    tree.appendChild(chatItem);
  });
  const layout = el('div', 'transcript-layout');
  const treeBox = el('div', 'tree-box');
  treeBox.appendChild(el('h4', null, 'Branches'));
  treeBox.appendChild(tree);
  layout.appendChild(treeBox);
  layout.appendChild(detail);
  const first = tree.querySelector('button');
  if (first) first.click();
  else detail.appendChild(el('p', null, 'No events were recorded for this conversation.'));
  return layout;
}

/**
 * @param {HTMLElement} view
 * @param {TranscriptSample | undefined} t
 */
function showConversation(view, t) {
  view.textContent = '';
  if (!t) return;
  const r = t.record;
  view.appendChild(el('h3', null, 'Conversation #' + r.index + ' — ' + r.user + ' (' + r.class + ')'));
  view.appendChild(conversationFacts(r));
  view.appendChild(branchBrowser(t.events));
}

const conversationView = document.getElementById('conversation-view');
conversationView?.addEventListener('show-conversation', (event) => {
  if (event instanceof CustomEvent) showConversation(conversationView, /** @type {TranscriptSample | undefined} */ (event.detail));
});
