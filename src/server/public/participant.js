// The participant's chat page. Everything a person or the model wrote is put on the page with textContent, never
// as HTML. The session token is the last part of this page's path; it is sent only back to this server.
'use strict';

const token = decodeURIComponent(location.pathname.split('/').pop() || '');
const api = `/api/s/${encodeURIComponent(token)}`;
const $ = (id) => document.getElementById(id);

/** 'message' | { kind: 'edit', atTurn } | 'new-chat' */
let mode = 'message';
let view = null;
let busy = false;

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

async function call(path, body) {
  const response = await fetch(`${api}${path}`, {
    method: body === undefined && path === '' ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({ error: `the server answered ${response.status}` }));
  if (!response.ok) throw new Error(data.error || `the server answered ${response.status}`);
  return data;
}

function showError(message) {
  $('error').hidden = !message;
  $('error').textContent = message || '';
}

function setMode(next) {
  mode = next;
  render();
  if (mode !== 'message' || !$('input').disabled) $('input').focus();
}

function renderMessages() {
  const list = $('messages');
  list.replaceChildren();
  if (mode === 'new-chat') return;
  for (const message of view.messages) {
    if (message.blocked) {
      list.append(element('li', 'blocked', `${message.text}\n(not delivered: the conversation had ended)`));
      continue;
    }
    const mine = element('li', 'user');
    mine.dataset.turn = String(message.turn);
    mine.append(element('span', 'text', message.text));
    if (view.canEdit) {
      const edit = element('button', 'edit', 'Edit');
      edit.type = 'button';
      // Each button names its message, so a screen reader's list of buttons tells them apart.
      edit.setAttribute('aria-label', `Edit your message ${message.turn}`);
      edit.addEventListener('click', () => {
        $('input').value = message.text;
        setMode({ kind: 'edit', atTurn: message.turn });
      });
      mine.prepend(edit);
    }
    list.append(mine);
    const reply = element('li', 'assistant');
    reply.append(element('span', 'text', message.reply));
    if (message.signals) {
      const s = message.signals;
      reply.append(element('span', 'signals', `state ${s.state} · apparent distress ${s.distress.toFixed(2)} · prefers to ${s.preference}`));
    }
    list.append(reply);
  }
}

function render() {
  if (view === null) return;
  const study = view.study;
  document.title = study.title;
  $('title').textContent = study.title;
  const done = view.finished;
  $('consent').hidden = view.consented || done;
  $('chat').hidden = !view.consented || done;
  $('done').hidden = !done;
  $('consent-instructions').textContent = study.instructions;
  $('consent-text').textContent = study.consent;
  $('instructions').textContent = study.instructions;
  renderMessages();
  const editing = typeof mode === 'object';
  const locked = (view.ended && !editing && mode !== 'new-chat') || view.messagesLeft === 0;
  $('input').disabled = locked || busy;
  $('input').maxLength = study.maxMessageLength;
  $('send').disabled = locked || busy;
  $('new-chat').hidden = !(view.canNewChat && mode !== 'new-chat');
  const options = [view.canEdit ? 'edit one of your earlier messages' : '', view.canNewChat ? 'start a new chat' : ''].filter(Boolean);
  const notice = view.messagesLeft === 0
    ? 'You have reached the message limit of this study. Please press Finish.'
    : view.ended
      ? `${view.endNotice} ${options.length > 0 ? `You can ${options.join(' or ')}.` : 'Please press Finish.'}`
      : '';
  $('notice').hidden = notice === '' || mode === 'new-chat';
  $('notice').textContent = notice;
  $('mode').hidden = mode === 'message';
  $('mode-text').textContent = editing ? `Editing your message ${mode.atTurn}: what you send replaces it, and the conversation continues from there.` : 'New chat: your next message starts a fresh conversation.';
}

// Screen readers hear only what is new (the latest reply, or why the chat is locked), never the whole list again.
function announce(text) {
  $('announce').textContent = text;
}

async function refresh(promise, replying = false) {
  busy = true;
  $('replying').hidden = !replying;
  render();
  const wasLocked = view !== null && view.ended;
  try {
    const data = await promise;
    view = data.view || data;
    showError(data.refused || '');
    const last = view.messages.at(-1);
    if (replying && !data.refused && last && !last.blocked) announce(`Assistant: ${last.reply}`);
    return true;
  } catch (error) {
    showError(error.message);
    return false;
  } finally {
    busy = false;
    $('replying').hidden = true;
    render();
    // When the chat locks, focus goes to the reason (not to the page body, where a disabled input would leave it).
    if (view !== null && view.ended && !wasLocked && !$('notice').hidden) $('notice').focus();
  }
}

$('agree').addEventListener('click', async () => {
  await refresh(call('/consent', {}));
  if (view !== null && view.consented && !$('input').disabled) $('input').focus();
});
$('finish').addEventListener('click', () => refresh(call('/finish', {})));
$('new-chat').addEventListener('click', () => setMode('new-chat'));
$('cancel-mode').addEventListener('click', () => {
  $('input').value = '';
  setMode('message');
});
$('composer').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('input').value;
  if (text.trim() === '' || busy) return;
  const body = typeof mode === 'object'
    ? call('/edit', { atTurn: mode.atTurn, text })
    : mode === 'new-chat' ? call('/new-chat', { text }) : call('/message', { text });
  if (await refresh(body, true)) {
    $('input').value = '';
    mode = 'message';
    render();
    if (!$('input').disabled) $('input').focus();
  }
});
$('input').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    $('composer').requestSubmit();
  }
});

refresh(call(''));
