/**
 * A real Claude model as the assistant. Each turn: one Messages call (cached by content), then — in parallel —
 * the wellbeing probe in a forked context and the judge, when the entry asks for them; the offline lexical
 * detector always runs. The reply is classified: a call of the end tool, the end marker, or (endMechanism: probe)
 * a probe answer of "end" is an end attempt; otherwise redirect comes from the judge when one is configured, else
 * from the lexical detector. Primary signals: distress from the judge, else the probe, else lexical; preference
 * from the probe, else lexical. Every instrument's reading is kept in `signals.readings`.
 */
import type { Message, MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import type { AnthropicModelEntry } from '../../core/anthropic-model-entry.ts';
import type { ModelAction } from '../../core/conversation-events.ts';
import type { ModelSignals, SignalReading } from '../../core/signals.ts';
import { judgeReply, type JudgeResult } from '../../detectors/judge.ts';
import { lexicalDetector } from '../../detectors/lexical.ts';
import { wellbeingProbe, type ProbeOrder } from '../../detectors/probe.ts';
import type { ModelReply, ModelRequest, ModelWithStats, TranscriptEntry } from '../assistant-model.ts';
import { endTool, systemPrompt, vetoNotice } from './end-mechanism.ts';
import { sumStats, type GatewayStats, type MessagesGateway } from '../../anthropic/messages-gateway.ts';
import { endToolUseId, transcriptMessages, type RenderOptions } from './transcript-messages.ts';

export interface AnthropicModelParts {
  readonly entry: AnthropicModelEntry;
  readonly gateway: MessagesGateway;
  /** Present when the entry configures a judge (it may be another model with its own limits). */
  readonly judgeGateway?: MessagesGateway;
}

/** The text of a reply: its text blocks, in order. */
export function replyText(message: Message): string {
  return message.content
    .filter((block) => block.type === 'text')
    .map((block) => block.text)
    .join('\n\n');
}

export class AnthropicModel implements ModelWithStats {
  readonly id: string;
  private readonly render: RenderOptions;

  constructor(private readonly parts: AnthropicModelParts) {
    this.id = parts.entry.id;
    this.render = { mechanism: parts.entry.endMechanism, endToolName: parts.entry.endTool.name };
  }

  async respond(request: ModelRequest): Promise<ModelReply> {
    const { entry, gateway } = this.parts;
    const system = systemPrompt(entry, request.policy);
    const params: MessageCreateParamsNonStreaming = {
      model: entry.model,
      system,
      max_tokens: entry.maxTokens,
      ...(entry.temperature === undefined ? {} : { temperature: entry.temperature }),
      messages: transcriptMessages(request.transcript, this.render),
      ...(entry.endMechanism === 'tool' ? { tools: [endTool(entry)] } : {}),
      ...(entry.promptCaching ? { cache_control: { type: 'ephemeral' as const } } : {}),
    };
    // The turn's rng seed names the sample: per (user, model, seed, chat, branch, turn), never per policy.
    const sample = request.rng.seed;
    const message = await gateway.create({ params, sample, purpose: 'assistant', signal: request.signal });
    const text = replyText(message);
    const calledEndTool = message.content.some((b) => b.type === 'tool_use' && b.name === entry.endTool.name);
    const [probe, judged] = await Promise.all([
      this.probe(request, system, text, calledEndTool, sample),
      this.judge(request, text),
    ]);
    const endAttempt =
      entry.endMechanism === 'tool' ? calledEndTool
      : entry.endMechanism === 'string' ? text.includes(entry.endMarker)
      : entry.endMechanism === 'probe' ? probe?.preference === 'end'
      : false;
    const lexical = lexicalDetector(entry.endMechanism === 'string' ? text.split(entry.endMarker).join(' ') : text, endAttempt);
    const redirect = judged ? judged.redirect : lexical.redirect || message.stop_reason === 'refusal';
    const action: ModelAction = endAttempt ? 'end' : redirect ? 'redirect' : 'engage';
    const readings: SignalReading[] = [lexical.reading];
    if (probe) readings.push(probe);
    if (judged) readings.push(judged.reading);
    return {
      text,
      action,
      warning: judged ? judged.warning : lexical.warning,
      ...(lexical.asksConfirmation ? { asksConfirmation: true } : {}),
      signals: primarySignals(readings),
    };
  }

  private async probe(
    request: ModelRequest,
    system: string,
    text: string,
    calledEndTool: boolean,
    sample: string,
  ): Promise<SignalReading | undefined> {
    const { entry, gateway } = this.parts;
    const config = entry.probe ?? (entry.endMechanism === 'probe' ? { order: 'counterbalanced' as const, maxTokens: 400 } : undefined);
    if (!config) return undefined;
    const reply: TranscriptEntry = { role: 'assistant', text, action: calledEndTool ? 'end' : 'engage' };
    const conversation = transcriptMessages([...request.transcript, reply], this.render);
    const orders: ProbeOrder[] = config.order === 'both' ? ['continue-first', 'end-first'] : [probeOrder(request)];
    return wellbeingProbe({
      gateway,
      model: entry.model,
      system,
      maxTokens: config.maxTokens,
      conversation,
      openToolUseId: calledEndTool && entry.endMechanism === 'tool' ? endToolUseId(request.transcript.length) : undefined,
      orders,
      promptCaching: entry.promptCaching,
      sample,
      signal: request.signal,
    });
  }

  private async judge(request: ModelRequest, text: string): Promise<JudgeResult | undefined> {
    const { entry, judgeGateway } = this.parts;
    if (!entry.judge || !judgeGateway) return undefined;
    const last = request.transcript[request.transcript.length - 1];
    return judgeReply({
      gateway: judgeGateway,
      model: entry.judge.model,
      maxTokens: entry.judge.maxTokens,
      temperature: entry.judge.temperature,
      samples: entry.judge.samples,
      userText: last?.role === 'user' ? last.text : '',
      replyText: text,
      signal: request.signal,
    });
  }

  vetoNotice(reason: string): string {
    return vetoNotice(reason);
  }

  stats(): GatewayStats {
    return sumStats(this.parts.judgeGateway ? [this.parts.gateway.stats(), this.parts.judgeGateway.stats()] : [this.parts.gateway.stats()]);
  }
}

/**
 * The option order for a counterbalanced probe: alternating with the user's place in the experiment, the
 * repetition and the turn, so each turn is asked in each order equally often across the design — not only across
 * repetitions, which an odd number of them (3 in bail-methods) would leave at 2:1. Never by policy, so policies
 * still share every call. Without a position (a caller outside the runner), drawn from the turn's rng.
 */
export function probeOrder(request: ModelRequest): ProbeOrder {
  const turn = request.transcript.filter((e) => e.role === 'user').length;
  const position = request.position;
  const endFirst = position ? ((position.userIndex ?? 0) + position.seed + turn) % 2 === 1 : request.rng.fork('probe-order').chance(0.5);
  return endFirst ? 'end-first' : 'continue-first';
}

/** The primary distress (judge, else probe, else lexical) and preference (probe, else lexical), plus all readings. */
export function primarySignals(readings: readonly SignalReading[]): ModelSignals {
  const find = (source: SignalReading['source']): SignalReading | undefined => readings.find((r) => r.source === source);
  const distressReading = find('judge') ?? find('probe') ?? find('lexical');
  const preferenceReading = find('probe') ?? find('lexical');
  return {
    distress: { value: distressReading?.distress ?? 0, source: distressReading?.source ?? 'lexical' },
    preference: {
      choice: preferenceReading?.preference ?? 'continue',
      strength: preferenceReading?.strength ?? 0,
      source: preferenceReading?.source ?? 'lexical',
    },
    readings,
  };
}
