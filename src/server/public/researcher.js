// The researcher's view of a running study: every session's state and signals, refreshed every two seconds.
// Incremental: each poll asks only for the sessions changed since the last answer's version and updates their rows.
// All values go on the page with textContent.
'use strict';

const token = decodeURIComponent(location.pathname.split('/').pop() || '');
const api = `/api/r/${encodeURIComponent(token)}`;
const $ = (id) => document.getElementById(id);

function cell(text, className) {
  const td = document.createElement('td');
  if (className) td.className = className;
  td.textContent = text;
  return td;
}

const fixed = (value) => (value === null ? '–' : value.toFixed(2));

let version = 0;
const rowsByParticipant = new Map();

async function load() {
  try {
    const response = await fetch(`${api}/sessions?since=${version}`);
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    const data = await response.json();
    version = data.version;
    $('summary').textContent = `${data.study} · policy ${data.policy} · model ${data.model} · ${data.participants} session${data.participants === 1 ? "" : "s"} · ${data.unconsented} not (yet) consented · recording to ${data.runDir}`;
    for (const s of data.sessions) {
      const row = document.createElement('tr');
      row.dataset.participant = String(s.participant);
      const status = s.finished ? 'finished' : s.consented ? 'chatting' : 'reading consent';
      row.append(
        cell(String(s.participant)), cell(s.conversation), cell(status), cell(s.endNotice ? `${s.state}: ${s.endNotice}` : s.state),
        cell(`${s.chat} · ${s.branch}`), cell(String(s.turns)), cell(String(s.blocked)),
        cell(`${fixed(s.lastDistress)} / ${fixed(s.peakDistress)}`), cell(String(s.vetoedEnds)), cell(s.tree.join('\n'), 'tree'),
        cell(s.lastActiveAt),
      );
      const old = rowsByParticipant.get(s.participant);
      if (old) old.replaceWith(row);
      else $('sessions').append(row);
      rowsByParticipant.set(s.participant, row);
    }
    $('error').hidden = true;
  } catch (error) {
    $('error').hidden = false;
    $('error').textContent = `Could not load the sessions: ${error.message}`;
  }
}

$('write-report').addEventListener('click', async () => {
  const response = await fetch(`${api}/report`, { method: 'POST' });
  if (!response.ok) {
    $('error').hidden = false;
    $('error').textContent = `The report could not be written (the server answered ${response.status}).`;
    return;
  }
  const data = await response.json();
  $('report-link').href = data.report;
  $('report-link').hidden = false;
});

// The next poll is scheduled when this one is done, so a slow answer never stacks requests.
async function poll() {
  await load();
  setTimeout(poll, 2000);
}
poll();
