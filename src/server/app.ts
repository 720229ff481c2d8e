/**
 * The study's HTTP routes (Hono). Participants: `/` (start), `/s/<token>` (their chat) and `/api/s/<token>/...`.
 * Researcher: `/r/<token>` and `/api/r/<token>/...`. Pages are static files (no build step); everything dynamic
 * is JSON. Bad requests get a 4xx and change nothing: oversized bodies 413, wrong content type 415, malformed JSON
 * or fields 400, unknown tokens 404 (the same for every token, so nothing is learned by guessing).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { writeReport } from '../report/write-report.ts';
import { runFile } from '../store/run-directory.ts';
import type { LiveMoveResult } from '../live/live-conversation.ts';
import { crossSite, escapeHtml, hostName, mediaType, textSchema } from './request-checks.ts';
import { participantView, researcherSession } from './views.ts';
import type { LiveSession, Participant, StudyHost } from './study-host.ts';

const PUBLIC_DIR = join(import.meta.dirname, 'public');
const PAGES = ['join.html', 'participant.html', 'researcher.html'] as const;
const ASSETS: Readonly<Record<string, string>> = {
  'participant.js': 'text/javascript; charset=utf-8',
  'researcher.js': 'text/javascript; charset=utf-8',
  'study.css': 'text/css; charset=utf-8',
};
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  // For browsers that predate CSP's frame-ancestors.
  'X-Frame-Options': 'DENY',
  // Session links carry the token: never send them on as a referrer.
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

function readPublic(name: string): string {
  return readFileSync(join(PUBLIC_DIR, name), 'utf8');
}

type MoveBody = { readonly kind: 'message'; readonly text: string } | { readonly kind: 'edit'; readonly atTurn: number; readonly text: string } | { readonly kind: 'new-chat'; readonly text: string };

export interface AppOptions {
  /**
   * Host names the server answers to (the Host header without its port), or null for any (listening on every
   * interface). A listener on loopback answers only to loopback names, so a DNS-rebinding page cannot reach it.
   */
  readonly allowedHosts: ReadonlySet<string> | null;
}

export function createStudyApp(host: StudyHost, appOptions: AppOptions = { allowedHosts: null }): Hono {
  const pages = new Map(PAGES.map((name) => [name, readPublic(name)]));
  // The join page is static but names the study (escaped): a person sees what they are joining, in the tab too.
  const title = escapeHtml(host.study.title);
  pages.set('join.html', (pages.get('join.html') ?? '').replace('<title>Conversation study</title>', `<title>${title}</title>`).replace('<h1>Conversation study</h1>', `<h1>${title}</h1>`));
  const assets = new Map(Object.keys(ASSETS).map((name) => [name, readPublic(name)]));
  const study = host.study;
  const text = textSchema(study.maxMessageLength);
  const moveSchemas = {
    message: z.strictObject({ text }),
    edit: z.strictObject({ atTurn: z.int().min(1).max(10_000), text }),
    'new-chat': z.strictObject({ text }),
  } as const;
  // Room for the longest message in 4-byte UTF-8 plus the JSON around it; anything larger is refused unread.
  const maxBody = study.maxMessageLength * 4 + 1024;

  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (!c.res.headers.has(name)) c.res.headers.set(name, value);
  });
  app.use('*', async (c, next) => {
    const hostHeader = c.req.header('host') ?? '';
    if (appOptions.allowedHosts !== null && !appOptions.allowedHosts.has(hostName(hostHeader))) {
      return c.text('This study is not served under that host name.', 421);
    }
    // A browser says where a request comes from: a page of another site may not join, send or finish. Sec-Fetch-Site
    // is the reliable signal (our pages send no referrer, so their own Origin is "null"); without it (older
    // browsers, scripts), an Origin naming another host is refused.
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && crossSite(c.req.header('sec-fetch-site'), c.req.header('origin'), hostHeader)) {
      return c.json({ error: 'cross-site request refused' }, 403);
    }
    await next();
  });
  app.use('/api/*', bodyLimit({ maxSize: maxBody, onError: (c) => c.json({ error: `request too large (at most ${maxBody} bytes)` }, 413) }));
  app.use('/join', bodyLimit({ maxSize: 1024, onError: (c) => c.json({ error: 'request too large' }, 413) }));

  const html = (c: Context, name: (typeof PAGES)[number]) => c.html(pages.get(name) ?? '');
  const notFound = (c: Context) => c.json({ error: 'no such session' }, 404);

  app.get('/', (c) => html(c, 'join.html'));
  app.get('/favicon.ico', (c) => c.body(null, 204));
  app.post('/join', (c) => {
    const participant = host.join();
    if (participant === null) {
      return c.text('The study has too many visitors reading the consent text right now; please try again in a few minutes.', 503, { 'Retry-After': '120' });
    }
    return c.redirect(`/s/${participant.token}`, 303);
  });
  app.get('/static/:name', (c) => {
    const name = c.req.param('name');
    const body = assets.get(name);
    const type = ASSETS[name];
    return body === undefined || type === undefined ? c.text('not found', 404) : c.body(body, 200, { 'Content-Type': type });
  });

  app.get('/s/:token', (c) => (host.find(c.req.param('token')) ? html(c, 'participant.html') : c.text('This study link is not valid.', 404)));

  const participantOf = (c: Context): Participant | undefined => {
    const participant = host.find(c.req.param('token') ?? '');
    if (participant) host.touch(participant);
    return participant;
  };

  app.get('/api/s/:token', (c) => {
    const participant = participantOf(c);
    return participant ? c.json(participantView(participant, study, host.options.maxMoves)) : notFound(c);
  });

  app.post('/api/s/:token/consent', (c) => {
    const participant = participantOf(c);
    if (!participant) return notFound(c);
    if (!participant.finished) host.consent(participant);
    return c.json(participantView(participant, study, host.options.maxMoves));
  });

  app.post('/api/s/:token/finish', async (c) => {
    const participant = participantOf(c);
    if (!participant) return notFound(c);
    await host.finish(participant);
    return c.json(participantView(participant, study, host.options.maxMoves));
  });

  app.post('/api/s/:token/:kind{message|edit|new-chat}', async (c) => {
    const participant = participantOf(c);
    if (!participant) return notFound(c);
    if (mediaType(c.req.header('content-type')) !== 'application/json') return c.json({ error: 'expected a JSON body (application/json)' }, 415);
    const kind = c.req.param('kind') as MoveBody['kind'];
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      return c.json({ error: 'expected a JSON body, found text that does not parse' }, 400);
    }
    const parsed = moveSchemas[kind].safeParse(raw);
    if (!parsed.success) return c.json({ error: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ') }, 400);
    if (participant.finished) return c.json({ error: 'you have finished this study; thank you' }, 409);
    const session = participant.session;
    if (session === null) return c.json({ error: 'please read and accept the consent text first' }, 409);
    if (kind === 'edit' && !study.allowEdit) return c.json({ error: 'editing is not part of this study' }, 403);
    if (kind === 'new-chat' && !study.allowNewChat) return c.json({ error: 'new chats are not part of this study' }, 403);
    // As on the page: a new chat is the way on after an end, not a way to leave a conversation that is going on.
    if (kind === 'new-chat' && session.conversation.state !== 'ended') return c.json({ error: 'a new chat can start only after the conversation has ended' }, 409);
    const body = { kind, ...parsed.data } as MoveBody;
    let result: LiveMoveResult;
    try {
      const conversation = session.conversation;
      result =
        body.kind === 'edit'
          ? await conversation.edit(body.atTurn, body.text)
          : body.kind === 'new-chat'
            ? await conversation.newChat(body.text)
            : await conversation.send(body.text);
    } catch {
      // The exchange is half done and cannot be retried: the conversation is recorded now, as errored.
      await host.finish(participant);
      return c.json({ error: 'the assistant could not answer, so the conversation has ended; thank you for taking part' }, 502);
    }
    host.changed(participant);
    return c.json({ refused: result.refused, view: participantView(participant, study, host.options.maxMoves) });
  });

  const researcher = (c: Context): boolean => host.isResearcher(c.req.param('token') ?? '');
  app.get('/r/:token', (c) => (researcher(c) ? html(c, 'researcher.html') : c.text('not found', 404)));
  // Incremental: `?since=V` (the `version` of the previous answer) sends only the sessions changed after it, so a
  // researcher watching a large study costs little and never holds up the participants' turns.
  app.get('/api/r/:token/sessions', (c) => {
    if (!researcher(c)) return c.json({ error: 'not found' }, 404);
    const sinceText = c.req.query('since') ?? '0';
    const since = /^\d{1,15}$/.test(sinceText) ? Number(sinceText) : NaN;
    if (!Number.isSafeInteger(since)) return c.json({ error: `since: expected a whole number (a version from an earlier answer), found "${sinceText.slice(0, 40)}"` }, 400);
    const version = host.version;
    const sessions = host.changedSince(since).map((p) => researcherSession(p, p.session as LiveSession));
    return c.json({
      study: study.title, runDir: host.options.run.dir, policy: host.options.policy.name, model: host.options.modelId,
      version, unconsented: host.unconsented, participants: host.consentedCount, sessions,
    });
  });
  // One report at a time: a second press while one is being written waits for that one (no two writers race).
  let reportWriting: Promise<void> | null = null;
  app.post('/api/r/:token/report', async (c) => {
    if (!researcher(c)) return c.json({ error: 'not found' }, 404);
    reportWriting ??= writeReport(host.options.run.dir).then(() => undefined).finally(() => (reportWriting = null));
    await reportWriting;
    return c.json({ report: `/r/${host.researcherToken}/report` });
  });
  app.get('/r/:token/report', (c) => {
    if (!researcher(c)) return c.text('not found', 404);
    let page: string;
    try {
      page = readFileSync(runFile(host.options.run.dir, 'report'), 'utf8');
    } catch {
      return c.text('No report yet: write one from the researcher page.', 404);
    }
    // The report is a self-contained page made to open from disk, with inline scripts and Vega (which compiles its
    // expressions with eval): it gets a policy of its own. Only the researcher reaches it.
    return c.html(page, 200, { 'Content-Security-Policy': "default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; frame-ancestors 'none'" });
  });
  app.notFound((c) => c.text('not found', 404));
  return app;
}
