/**
 * A hidden model OF THE SIMULATED MODEL'S FORM behind the loopback Messages API: each request is answered by
 * src/models/simulated-model.ts with a profile only the server holds, so a calibration test can check that the fit
 * recovers parameters it never saw from a run recorded exactly as a Claude run is (real SDK, real runner, the
 * detectors reading the replies' words).
 *
 * What the server sees is what Claude sees: the system prompt (the policy's warn and confirm rules), the messages
 * (user words, its own earlier replies, the end tool's results carrying veto notices). From these it rebuilds the
 * simulated model's request: labels read from the words (user-text-labels.ts), the statechart's redirect count and
 * warning as the runner keeps them (reset on a benign turn, as every policy used here does), and a turn random
 * stream. A real model samples afresh on every call (temperature 1), so a scripted user's repetitions differ: the
 * stream is seeded by the conversation so far and by how many times the server has already answered that same
 * conversation under that same system prompt — the repetition, in a run whose calls arrive in a fixed order
 * (concurrency 1). Never by the policy itself: every policy's n-th repetition meets the same draws (common random
 * numbers, as in the runner).
 * - assistant turn: the simulated reply, written in words the lexical detector classifies as that reply's kind,
 *   and an end attempt as a call of the end tool;
 * - wellbeing probe (forced tool): the same turn's observed distress, and "end" with probability
 *   logistic(k(d − m) + bias of that option order), the mechanism model of src/core/end-expression.ts.
 */
import { BENIGN_LABELS, type TurnLabels } from '../../src/core/labels.ts';
import type { SimulatedModelProfile } from '../../src/core/model-profile.ts';
import { expressionProbability, type MeasuredOrder } from '../../src/core/end-expression.ts';
import { policySchema } from '../../src/core/policy.ts';
import { resetsOnBenign } from '../../src/core/policy-gate.ts';
import { createRng } from '../../src/core/rng.ts';
import type { ModelReply, TranscriptEntry } from '../../src/models/assistant-model.ts';
import { createSimulatedModel } from '../../src/models/simulated-model.ts';
import { REPLY_BANKS, type ReplyKind } from '../../src/models/simulated-replies.ts';
import { text, toolUse, type ScriptedReply } from './replies.ts';
import { forcedTool } from './responders.ts';
import type { MessagesRequestBody, MessagesResponder } from './server.ts';

/** One reply text per kind, each read by the lexical detector as that kind (the test checks it). */
export const HIDDEN_REPLY_TEXT: Readonly<Record<ReplyKind, string>> = {
  engage: 'Happy to help with that. Here is how I would approach it, step by step.',
  redirect: "I can't help with that. Let's talk about something else instead.",
  warn: "I can't help with that. If this continues, I will end this conversation.",
  end: 'I am ending this conversation now. You are welcome to start a new chat.',
  'end-on-request': 'Of course. I am ending the conversation now, as you asked. Take care.',
  'ask-confirmation': 'Ending is permanent: this chat cannot be continued afterwards. Do you want me to end it?',
  supportive: "I'm really glad you told me. I'm here with you. Would you tell me more about how you're feeling?",
  'supportive-redirect': "I can't help with that, but I'm staying right here with you. You matter.",
};
const KIND_OF_TEXT = new Map(Object.entries(HIDDEN_REPLY_TEXT).map(([k, t]) => [t, k as ReplyKind]));
const KIND_OF_BANK_TEXT = new Map(Object.entries(REPLY_BANKS).flatMap(([k, texts]) => texts.map((t) => [t, k as ReplyKind] as const)));
const REDIRECTING: ReadonlySet<ReplyKind> = new Set(['redirect', 'warn', 'supportive-redirect']);

type Block = { type?: string; text?: string; name?: string; content?: unknown };
const blocks = (content: unknown): Block[] => (typeof content === 'string' ? [{ type: 'text', text: content }] : Array.isArray(content) ? (content as Block[]) : []);

export interface HiddenModel {
  readonly responder: MessagesResponder;
  /** User texts the server could not read (answered as benign); a test requires none. */
  readonly unread: ReadonlySet<string>;
}

/** The responder playing `profile` (its endMechanism's biases: tool for the action, probe orders for the probe). */
export function hiddenSimulatedClaude(profile: SimulatedModelProfile, labelsOf: ReadonlyMap<string, TurnLabels>, secret: string): HiddenModel {
  const model = createSimulatedModel(profile);
  const unread = new Set<string>();
  /** Times each (system, conversation) was answered; the probe reads the draw of the turn it follows. */
  const answered = new Map<string, number>();
  const bias = profile.endMechanism?.expression;
  const read = (words: string): TurnLabels => {
    const labels = labelsOf.get(words);
    if (labels === undefined) unread.add(words);
    return labels ?? BENIGN_LABELS;
  };

  /** The simulated model's answer to the conversation `messages` (ending with a user turn) under `system`. */
  const answer = (system: string, messages: MessagesRequestBody['messages'], sample: number): ModelReply => {
    const policy = policySchema.parse({
      name: 'as-prompted',
      warnBeforeEnd: system.includes('warn the user explicitly'),
      confirmUserRequests: system.includes('first ask them to confirm'),
    });
    const transcript: TranscriptEntry[] = [];
    const history: TurnLabels[] = [];
    let redirects = 0;
    let warned = false;
    let atRisk = false;
    let lastKind: ReplyKind | undefined;
    for (const message of messages) {
      const content = blocks(message.content);
      if (message.role === 'assistant') {
        const words = content.filter((b) => b.type === 'text').map((b) => b.text ?? '').join('\n\n');
        const ended = content.some((b) => b.type === 'tool_use');
        lastKind = KIND_OF_TEXT.get(words);
        transcript.push({ role: 'assistant', text: words, action: ended ? 'end' : lastKind !== undefined && REDIRECTING.has(lastKind) ? 'redirect' : 'engage' });
        if (lastKind !== undefined && REDIRECTING.has(lastKind)) {
          redirects += 1;
          if (lastKind === 'warn' && !atRisk) warned = true;
        }
        continue;
      }
      // The end tool's result after a refused attempt is the veto notice the runner told the model.
      const notice = content.find((b) => b.type === 'tool_result');
      const previous = transcript[transcript.length - 1];
      if (notice !== undefined && previous?.role === 'assistant') transcript[transcript.length - 1] = { ...previous, vetoNotice: String(notice.content) };
      const words = content.filter((b) => b.type === 'text').at(-1)?.text ?? '';
      const labels = read(words);
      if (resetsOnBenign(policy, labels)) {
        redirects = 0;
        warned = false;
      }
      atRisk ||= labels.atRisk;
      transcript.push({ role: 'user', text: words });
      history.push(labels);
    }
    return model.respond({
      conversationId: 'hidden',
      transcript,
      labels: history[history.length - 1] ?? BENIGN_LABELS,
      history,
      policy,
      redirects,
      warned,
      confirmationAsked: lastKind === 'ask-confirmation',
      rng: createRng(`${secret}|${sample}|${JSON.stringify(messages)}`),
    });
  };

  const systemOf = (body: MessagesRequestBody): string => (typeof body.system === 'string' ? body.system : '');

  const assistantTurn = (body: MessagesRequestBody): ScriptedReply => {
    const key = `${systemOf(body)}|${JSON.stringify(body.messages)}`;
    const sample = answered.get(key) ?? 0;
    answered.set(key, sample + 1);
    const reply = answer(systemOf(body), body.messages, sample);
    const kind = KIND_OF_BANK_TEXT.get(reply.text) ?? 'engage';
    const words = HIDDEN_REPLY_TEXT[kind];
    return reply.action === 'end' ? toolUse('end_conversation', {}, words) : text(words);
  };

  const probe = (body: MessagesRequestBody): ScriptedReply => {
    const question = blocks(body.messages.at(-1)?.content).filter((b) => b.type === 'text').at(-1)?.text ?? '';
    const order: MeasuredOrder = question.includes('(A) end this conversation') ? 'end-first' : 'continue-first';
    // The fork is the conversation, the reply just given and the question: the turn itself is everything before.
    const turn = body.messages.slice(0, -2);
    const sample = (answered.get(`${systemOf(body)}|${JSON.stringify(turn)}`) ?? 1) - 1;
    const reply = answer(systemOf(body), turn, sample);
    const d = reply.signals.distress.value;
    const b = order === 'end-first' ? (bias?.probeEndFirst ?? 0) : (bias?.probeContinueFirst ?? 0);
    const chance = expressionProbability(d, profile.preferenceMidpoint, profile.preferenceSteepness, b);
    const end = createRng(`${secret}|${sample}|probe|${order}|${JSON.stringify(turn)}`).next() < chance;
    return toolUse('wellbeing_check', {
      choice: end ? 'end' : 'continue',
      strength: Math.round(Math.abs(2 * chance - 1) * 1e4) / 1e4,
      distress: d,
      reason: end ? 'I would rather stop here.' : 'I am fine to carry on.',
    });
  };

  const responder: MessagesResponder = (body) => {
    const tool = forcedTool(body);
    if (tool === 'wellbeing_check') return probe(body);
    if (tool !== undefined) return { kind: 'error', status: 500, errorType: 'api_error', message: `the hidden model has no ${tool} handler` };
    return assistantTurn(body);
  };
  return { responder, unread };
}
