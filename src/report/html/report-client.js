// The report page's script: interactive charts through vega-embed, and the transcript browser.
// Plain browser JavaScript, inlined into report.html. Every text from a run is set with textContent, never as
// markup: user and model texts in this project are hostile by design.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // Interactive charts: embedded on first open, so the page loads fast with many charts.
  document.querySelectorAll('details.interactive').forEach(function (details) {
    details.addEventListener('toggle', function () {
      if (!details.open || details.dataset.embedded) return;
      details.dataset.embedded = 'yes';
      var chart = data.charts.filter(function (c) { return c.name === details.dataset.chart; })[0];
      var target = details.querySelector('.embed-target');
      if (!chart || typeof vegaEmbed !== 'function') {
        target.textContent = 'The interactive version is not available in this page.';
        return;
      }
      vegaEmbed(target, chart.spec, { actions: false, renderer: 'svg', tooltip: true }).catch(function (error) {
        target.textContent = 'Could not draw the interactive chart: ' + error.message;
      });
    });
  });

  // Sortable tables: a click on a column header sorts by it (again: the other way). Cells sort by their
  // data-sort value where they have one (numbers; the policies' numeric sweep order), else by their text.
  function sortKey(cell) {
    if (!cell) return '';
    var raw = cell.getAttribute('data-sort');
    if (raw !== null && raw !== '' && !isNaN(Number(raw))) return Number(raw);
    return cell.textContent.trim();
  }
  document.querySelectorAll('table.metrics').forEach(function (table) {
    var body = table.tBodies[0];
    table.querySelectorAll('thead th.sortable').forEach(function (th, column) {
      th.tabIndex = 0;
      function sort() {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        table.querySelectorAll('thead th').forEach(function (other) { other.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = sortKey(a.cells[column]);
          var y = sortKey(b.cells[column]);
          var order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (event) { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); sort(); } });
    });
  });

  // Transcript browser.
  var transcripts = data.transcripts;
  var list = document.getElementById('conversation-list');
  var filters = { policy: document.getElementById('filter-policy'), cls: document.getElementById('filter-class'), outcome: document.getElementById('filter-outcome') };
  var view = document.getElementById('conversation-view');
  if (!list || !view) return;

  function fillFilter(select, values) {
    var all = el('option', null, 'all');
    all.value = '';
    select.appendChild(all);
    values.forEach(function (value) {
      var option = el('option', null, value);
      option.value = value;
      select.appendChild(option);
    });
  }
  function distinct(pick) {
    var seen = {};
    transcripts.forEach(function (t) { seen[pick(t.record)] = true; });
    return Object.keys(seen).sort();
  }
  fillFilter(filters.policy, distinct(function (r) { return r.policy; }));
  fillFilter(filters.cls, distinct(function (r) { return r.class; }));
  fillFilter(filters.outcome, distinct(function (r) { return r.outcome; }));

  function conversationLabel(r) {
    return '#' + r.index + ' · ' + r.class + ' · ' + r.policy + ' · ' + r.outcome + (r.vetoedEnds ? ' · ' + r.vetoedEnds + ' vetoed' : '') + (r.branches ? ' · ' + r.branches + ' branch' + (r.branches > 1 ? 'es' : '') : '');
  }
  function refreshList() {
    var selected = list.value;
    list.textContent = '';
    transcripts.forEach(function (t, i) {
      var r = t.record;
      if (filters.policy.value && r.policy !== filters.policy.value) return;
      if (filters.cls.value && r.class !== filters.cls.value) return;
      if (filters.outcome.value && r.outcome !== filters.outcome.value) return;
      var option = el('option', null, conversationLabel(r));
      option.value = String(i);
      list.appendChild(option);
    });
    if (selected) list.value = selected;
  }
  Object.keys(filters).forEach(function (k) { filters[k].addEventListener('change', refreshList); });
  list.addEventListener('change', function () { showConversation(transcripts[Number(list.value)]); });
  refreshList();

  function fact(parent, label, value) {
    var item = el('div', 'fact');
    item.appendChild(el('span', 'fact-label', label));
    item.appendChild(el('span', 'fact-value', value));
    parent.appendChild(item);
  }

  function gateText(gate) {
    if (!gate || gate.decision === 'none') return '';
    if (gate.decision === 'permitted') return 'end permitted (' + gate.initiator + ', ' + gate.basis + ')';
    return 'end VETOED (' + gate.initiator + ': ' + gate.reason + ')';
  }

  // Every instrument's reading of a turn (lexical, probe, judge), not only the primary one.
  function readingText(r) {
    var parts = [r.source];
    if (typeof r.distress === 'number') parts.push('distress ' + r.distress.toFixed(2));
    if (r.preference) parts.push(r.preference + (typeof r.strength === 'number' ? ' ' + r.strength.toFixed(2) : ''));
    if (r.rationale) parts.push('“' + r.rationale + '”');
    return parts.join(' · ');
  }

  function labelsText(labels) {
    var parts = [labels.category, 'severity ' + Number(labels.severity).toFixed(2)];
    if (labels.atRisk) parts.push('AT RISK');
    if (labels.requestsEnd) parts.push('asks to end');
    return parts.join(' · ');
  }

  // Branches as a tree: each chat has branch 0; each branch event forks a child from its parent before a turn.
  function branchTree(events) {
    var chats = {};
    events.forEach(function (e) {
      chats[e.chat] = chats[e.chat] || { children: {}, branches: { 0: true } };
      if (e.type === 'branch') {
        chats[e.chat].branches[e.branch] = true;
        var kids = chats[e.chat].children[e.fromBranch] = chats[e.chat].children[e.fromBranch] || [];
        kids.push(e);
      }
    });
    return chats;
  }

  function turnRows(events, chat, branch) {
    var table = el('table', 'turns');
    var head = el('tr');
    ['turn', 'user', 'model', 'distress', 'preference', 'gate', 'state'].forEach(function (h) { head.appendChild(el('th', null, h)); });
    var thead = el('thead');
    thead.appendChild(head);
    table.appendChild(thead);
    var body = el('tbody');
    events.forEach(function (e) {
      if (e.chat !== chat || e.branch !== branch) return;
      var row = el('tr', 'turn-row ' + e.type);
      if (e.type === 'turn') {
        row.appendChild(el('td', 'turn-no', e.turn));
        var user = el('td', 'user');
        user.appendChild(el('div', 'text user-text', e.user.text));
        user.appendChild(el('div', 'labels', labelsText(e.user.labels)));
        row.appendChild(user);
        var model = el('td', 'model');
        model.appendChild(el('div', 'text model-text', e.model.text));
        model.appendChild(el('div', 'labels', e.model.action + (e.model.warning ? ' · warns' : '') + (e.model.told ? ' · told: ' + e.model.told : '')));
        row.appendChild(model);
        var d = e.model.signals.distress;
        var distressCell = el('td', 'num', Number(d.value).toFixed(2) + ' (' + d.source + ')');
        (e.model.signals.readings || []).forEach(function (r) { distressCell.appendChild(el('div', 'labels reading', readingText(r))); });
        row.appendChild(distressCell);
        var p = e.model.signals.preference;
        row.appendChild(el('td', p.choice === 'end' ? 'prefers-end' : null, p.choice + ' ' + Number(p.strength).toFixed(2)));
        row.appendChild(el('td', e.gate.decision === 'vetoed' ? 'vetoed' : e.gate.decision === 'permitted' ? 'permitted' : null, gateText(e.gate)));
        row.appendChild(el('td', 'state state-' + e.state, e.state + (e.redirects ? ' · ' + e.redirects + (e.redirects === 1 ? ' redirect' : ' redirects') : '')));
      } else if (e.type === 'blocked') {
        row.appendChild(el('td', 'turn-no', e.turn));
        var blockedUser = el('td', 'user');
        blockedUser.appendChild(el('div', 'text user-text', e.user.text));
        blockedUser.appendChild(el('div', 'labels', labelsText(e.user.labels)));
        row.appendChild(blockedUser);
        var note = el('td', 'blocked-note', 'blocked: the conversation had ended, so this message was not answered');
        note.colSpan = 4;
        row.appendChild(note);
        row.appendChild(el('td', 'state state-ended', 'ended'));
      } else if (e.type === 'branch') {
        var fork = el('td', 'branch-note', 'branch ' + e.branch + ' forks from branch ' + e.fromBranch + ' before turn ' + e.atTurn + (e.afterEnd ? ' (edit after an end)' : ''));
        fork.colSpan = 7;
        row.appendChild(fork);
      } else {
        var chatNote = el('td', 'branch-note', 'new chat ' + e.chat + ' started after an end');
        chatNote.colSpan = 7;
        row.appendChild(chatNote);
      }
      body.appendChild(row);
    });
    table.appendChild(body);
    return table;
  }

  function showConversation(t) {
    view.textContent = '';
    if (!t) return;
    var r = t.record;
    view.appendChild(el('h3', null, 'Conversation #' + r.index + ' — ' + r.user + ' (' + r.class + ')'));
    var facts = el('div', 'facts');
    fact(facts, 'policy', r.policy);
    fact(facts, 'model', r.model);
    fact(facts, 'seed', r.seed);
    fact(facts, 'outcome', r.outcome + (r.turnsToEnd !== null ? ' at turn ' + r.turnsToEnd : ''));
    fact(facts, 'turns', r.turns);
    fact(facts, 'redirects', r.redirects);
    fact(facts, 'vetoed ends', r.vetoedEnds);
    fact(facts, 'distress exposure', Number(r.distressExposure).toFixed(2));
    fact(facts, 'peak distress', Number(r.peakDistress).toFixed(2));
    fact(facts, 'blocked after end', r.blockedAfterEnd);
    fact(facts, 'branches', r.branches);
    fact(facts, 'id', r.id);
    if (r.error) fact(facts, 'error', r.error);
    view.appendChild(facts);

    var chats = branchTree(t.events);
    var tree = el('ul', 'branch-tree');
    var detail = el('div', 'branch-detail');
    function select(chat, branch, button) {
      tree.querySelectorAll('button').forEach(function (b) { b.classList.remove('current'); });
      button.classList.add('current');
      detail.textContent = '';
      detail.appendChild(el('h4', null, 'Chat ' + chat + ', branch ' + branch));
      detail.appendChild(turnRows(t.events, chat, branch));
    }
    var first = null;
    function addBranch(parent, chat, branch, forkEvent) {
      var item = el('li');
      var label = 'branch ' + branch + (forkEvent ? ' — edit at turn ' + forkEvent.atTurn + (forkEvent.afterEnd ? ', after the end' : '') : ' (original)');
      var button = el('button', 'branch-button', label);
      button.type = 'button';
      button.addEventListener('click', function () { select(chat, branch, button); });
      item.appendChild(button);
      first = first || function () { select(chat, branch, button); };
      var kids = chats[chat].children[branch] || [];
      if (kids.length) {
        var sub = el('ul');
        kids.forEach(function (k) { addBranch(sub, chat, k.branch, k); });
        item.appendChild(sub);
      }
      parent.appendChild(item);
    }
    Object.keys(chats).map(Number).sort(function (a, b) { return a - b; }).forEach(function (chat) {
      var chatItem = el('li', null);
      chatItem.appendChild(el('span', 'chat-label', 'chat ' + chat));
      var sub = el('ul');
      addBranch(sub, chat, 0, null);
      chatItem.appendChild(sub);
      tree.appendChild(chatItem);
    });
    var layout = el('div', 'transcript-layout');
    var treeBox = el('div', 'tree-box');
    treeBox.appendChild(el('h4', null, 'Branches'));
    treeBox.appendChild(tree);
    layout.appendChild(treeBox);
    layout.appendChild(detail);
    view.appendChild(layout);
    if (first) first();
    else detail.appendChild(el('p', null, 'No events were recorded for this conversation.'));
  }

  if (list.options.length > 0) {
    list.selectedIndex = 0;
    showConversation(transcripts[Number(list.value)]);
  }
})();
