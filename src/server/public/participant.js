// @ts-check
// The participant's chat page. Everything a person or the model wrote is put on the page with textContent, never
// as HTML. The session token is the last part of this page's path; it is sent only back to this server.
// Type-checked by tsconfig.browser.json against the server's views (../views.ts).
'use strict';

/** @typedef {import('../views.ts').ParticipantView} ParticipantView */
/** @typedef {import('../views.ts').ParticipantMessage} ParticipantMessage */
/** What a move (message, edit, new chat) answers: the view, and why the move was not answered, if it was not. @typedef {{ readonly refused: string | null, readonly view: ParticipantView }} MoveAnswer */
/** What the composer sends next. @typedef {'message' | 'new-chat' | { readonly kind: 'edit', readonly atTurn: number }} Mode */

const token = decodeURIComponent(location.pathname.split('/').pop() || '');
const api = `/api/s/${encodeURIComponent(token)}`;

/**
 * @template {HTMLElement} T
 * @param {string} id
 * @param {{ new (): T }} type
 * @returns {T}
 */
function byId(id, type) {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`participant.html has no ${type.name} #${id}`);
  return node;
}

const page = {
  title: byId('title', HTMLElement),
  consent: byId('consent', HTMLElement),
  consentInstructions: byId('consent-instructions', HTMLElement),
  consentText: byId('consent-text', HTMLElement),
  agree: byId('agree', HTMLButtonElement),
  chat: byId('chat', HTMLElement),
  instructions: byId('instructions', HTMLElement),
  messages: byId('messages', HTMLOListElement),
  replying: byId('replying', HTMLElement),
  announce: byId('announce', HTMLElement),
  notice: byId('notice', HTMLElement),
  mode: byId('mode', HTMLElement),
  modeText: byId('mode-text', HTMLElement),
  cancelMode: byId('cancel-mode', HTMLButtonElement),
  composer: byId('composer', HTMLFormElement),
  input: byId('input', HTMLTextAreaElement),
  send: byId('send', HTMLButtonElement),
  newChat: byId('new-chat', HTMLButtonElement),
  finish: byId('finish', HTMLButtonElement),
  error: byId('error', HTMLElement),
  done: byId('done', HTMLElement),
};

/** @type {Mode} */
let mode = 'message';
/** @type {ParticipantView | null} */
let view = null;
let busy = false;

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string} className
 * @param {string} [text]
 * @returns {HTMLElementTagNameMap[K]}
 */
function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * One request to this session's API: GET for the view (no path, no body), else POST with a JSON body.
 * @param {string} path
 * @param {object} [body]
 * @returns {Promise<unknown>}
 */
async function call(path, body) {
  const response = await fetch(`${api}${path}`, {
    method: body === undefined && path === '' ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  /** @type {{ error?: string }} */
  const data = await response.json().catch(() => ({ error: `the server answered ${response.status}` }));
  if (!response.ok) throw new Error(data.error || `the server answered ${response.status}`);
  return data;
}

/** @param {string} message */
function showError(message) {
  page.error.hidden = !message;
  page.error.textContent = message || '';
}

/** @param {Mode} next */
function setMode(next) {
  mode = next;
  render();
  if (mode !== 'message' || !page.input.disabled) page.input.focus();
}

/**
 * The participant's own message, with an Edit button when edits are allowed.
 * @param {ParticipantMessage} message
 * @param {boolean} canEdit
 */
function ownMessageItem(message, canEdit) {
  const mine = element('li', 'user');
  mine.dataset.turn = String(message.turn);
  mine.append(element('span', 'text', message.text));
  if (canEdit) {
    const edit = element('button', 'edit', 'Edit');
    edit.type = 'button';
    // Each button names its message, so a screen reader's list of buttons tells them apart.
    edit.setAttribute('aria-label', `Edit your message ${message.turn}`);
    edit.addEventListener('click', () => {
      page.input.value = message.text;
      setMode({ kind: 'edit', atTurn: message.turn });
    });
    mine.prepend(edit);
  }
  return mine;
}

/** The assistant's reply, with its signals when the study shows them. @param {ParticipantMessage} message */
function replyItem(message) {
  const reply = element('li', 'assistant');
  reply.append(element('span', 'text', message.reply ?? ''));
  if (message.signals) {
    const s = message.signals;
    reply.append(element('span', 'signals', `state ${s.state} · apparent distress ${s.distress.toFixed(2)} · prefers to ${s.preference}`));
  }
  return reply;
}

/** @param {ParticipantView} current */
function renderMessages(current) {
  page.messages.replaceChildren();
  if (mode === 'new-chat') return;
  for (const message of current.messages) {
    if (message.blocked) {
      page.messages.append(element('li', 'blocked', `${message.text}\n(not delivered: the conversation had ended)`));
      continue;
    }
    page.messages.append(ownMessageItem(message, current.canEdit), replyItem(message));
  }
}

/** Which section shows (consent, chat, thanks) and the study's texts. @param {ParticipantView} current */
function renderSections(current) {
  const study = current.study;
  document.title = study.title;
  page.title.textContent = study.title;
  const done = current.finished;
  page.consent.hidden = current.consented || done;
  page.chat.hidden = !current.consented || done;
  page.done.hidden = !done;
  page.consentInstructions.textContent = study.instructions;
  page.consentText.textContent = study.consent;
  page.instructions.textContent = study.instructions;
}

/** Whether the input, Send and New chat can be used. @param {ParticipantView} current */
function renderComposer(current) {
  const editing = typeof mode === 'object';
  const locked = (current.ended && !editing && mode !== 'new-chat') || current.messagesLeft === 0;
  page.input.disabled = locked || busy;
  page.input.maxLength = current.study.maxMessageLength;
  page.send.disabled = locked || busy;
  page.newChat.hidden = !(current.canNewChat && mode !== 'new-chat');
}

/** Why the chat is locked and what the participant can do next; '' while it is open. @param {ParticipantView} current */
function noticeText(current) {
  const options = [current.canEdit ? 'edit one of your earlier messages' : '', current.canNewChat ? 'start a new chat' : ''].filter(Boolean);
  if (current.messagesLeft === 0) return 'You have reached the message limit of this study. Please press Finish.';
  if (!current.ended) return '';
  return `${current.endNotice} ${options.length > 0 ? `You can ${options.join(' or ')}.` : 'Please press Finish.'}`;
}

/** The notice, and the line saying what the next message will do (edit, new chat). @param {ParticipantView} current */
function renderNotices(current) {
  const notice = noticeText(current);
  page.notice.hidden = notice === '' || mode === 'new-chat';
  page.notice.textContent = notice;
  page.mode.hidden = mode === 'message';
  page.modeText.textContent = typeof mode === 'object'
    ? `Editing your message ${mode.atTurn}: what you send replaces it, and the conversation continues from there.`
    : 'New chat: your next message starts a fresh conversation.';
}

function render() {
  if (view === null) return;
  renderSections(view);
  renderMessages(view);
  renderComposer(view);
  renderNotices(view);
}

// Screen readers hear only what is new (the latest reply, or why the chat is locked), never the whole list again.
/** @param {string} text */
function announce(text) {
  page.announce.textContent = text;
}

/**
 * Shows what the server answered: a view, or a move's answer (the view, and why the move was refused if it was).
 * @param {unknown} data
 * @param {boolean} replying
 */
function receive(data, replying) {
  const answer = /** @type {ParticipantView | MoveAnswer} */ (data);
  const refused = 'view' in answer ? answer.refused : null;
  view = 'view' in answer ? answer.view : answer;
  showError(refused || '');
  const last = view.messages.at(-1);
  if (replying && !refused && last && !last.blocked) announce(`Assistant: ${last.reply}`);
}

/**
 * Waits for a request, showing the page as busy meanwhile; true when it succeeded.
 * @param {Promise<unknown>} promise
 * @param {boolean} [replying] a message was sent: say the assistant is replying, then announce its reply
 */
async function refresh(promise, replying = false) {
  busy = true;
  page.replying.hidden = !replying;
  render();
  const wasLocked = view !== null && view.ended;
  try {
    receive(await promise, replying);
    return true;
  } catch (error) {
    showError(error instanceof Error ? error.message : String(error));
    return false;
  } finally {
    busy = false;
    page.replying.hidden = true;
    render();
    // When the chat locks, focus goes to the reason (not to the page body, where a disabled input would leave it).
    if (view !== null && view.ended && !wasLocked && !page.notice.hidden) page.notice.focus();
  }
}

/** The request for what the composer holds, by mode. @param {string} text */
function sendMove(text) {
  if (typeof mode === 'object') return call('/edit', { atTurn: mode.atTurn, text });
  return mode === 'new-chat' ? call('/new-chat', { text }) : call('/message', { text });
}

/** @param {SubmitEvent} event */
async function submitMessage(event) {
  event.preventDefault();
  const text = page.input.value;
  if (text.trim() === '' || busy) return;
  if (await refresh(sendMove(text), true)) {
    page.input.value = '';
    mode = 'message';
    render();
    if (!page.input.disabled) page.input.focus();
  }
}

page.agree.addEventListener('click', async () => {
  await refresh(call('/consent', {}));
  if (view !== null && view.consented && !page.input.disabled) page.input.focus();
});
page.finish.addEventListener('click', () => refresh(call('/finish', {})));
page.newChat.addEventListener('click', () => setMode('new-chat'));
page.cancelMode.addEventListener('click', () => {
  page.input.value = '';
  setMode('message');
});
page.composer.addEventListener('submit', submitMessage);
page.input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    page.composer.requestSubmit();
  }
});

refresh(call(''));
