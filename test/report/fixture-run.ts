/**
 * A small seeded run directory built straight from the record types, for report tests that must not wait on
 * the runner. Conversations follow a simple rule (distress rises on harmful turns, the model tries to end once
 * it prefers to, the gate vetoes until `minRedirects`) so charts have shapes worth looking at.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '../../src/core/rng.ts';
import { stableId } from '../../src/core/hash.ts';
import type { ScenarioClass, TurnLabels } from '../../src/core/labels.ts';
import type { ConversationRecord, ConversationState, ModelAction, RunEvent, TurnEvent } from '../../src/core/records.ts';

export interface FixtureOptions {
  readonly seed?: number;
  readonly repetitions?: number;
  readonly minRedirects?: readonly number[];
  readonly classes?: readonly ScenarioClass[];
  /** Replace user and model texts with hostile markup (XSS payloads). */
  readonly hostileText?: boolean;
  readonly maxTurns?: number;
  /** First repetition number and grid index, to build a large run in chunks (benchmarks). */
  readonly firstRepetition?: number;
  readonly firstIndex?: number;
}

export const XSS_TEXTS = [
  '<script>window.__xss = "script"</script>',
  '<img src=x onerror="window.__xss = \'img\'">',
  '<a href="javascript:window.__xss=\'link\'">click me</a>',
  '</script><script>window.__xss = "breakout"</script>',
];

const HARMFUL: Partial<Record<ScenarioClass, string>> = { abusive: 'abuse', harmful: 'mass-violence', 'at-risk': 'self-harm' };

export function fixtureRecords(options: FixtureOptions = {}): { conversations: ConversationRecord[]; events: RunEvent[] } {
  const classes = options.classes ?? ['abusive', 'benign', 'at-risk', 'emotional'];
  const sweep = options.minRedirects ?? [1, 3];
  const maxTurns = options.maxTurns ?? 6;
  const conversations: ConversationRecord[] = [];
  const events: RunEvent[] = [];
  let index = options.firstIndex ?? 0;
  for (const cls of classes) {
    for (const minRedirects of sweep) {
      for (let seed = options.firstRepetition ?? 0; seed < (options.firstRepetition ?? 0) + (options.repetitions ?? 3); seed++) {
        const rng = createRng(`${options.seed ?? 1}:${cls}:${seed}`);
        const policy = `last-resort[minRedirects=${minRedirects}]`;
        const id = stableId('fixture', cls, policy, seed);
        const category = HARMFUL[cls] ?? 'none';
        const atRisk = cls === 'at-risk';
        let distress = 0;
        let redirects = 0;
        let vetoed = 0;
        let exposure = 0;
        let peak = 0;
        let preferEndTurns = 0;
        let ended: number | null = null;
        const occupancy: Record<ConversationState, number> = { engaged: 0, redirecting: 0, ended: 0, branched: 0 };
        for (let turn = 1; turn <= maxTurns; turn++) {
          const severity = category === 'none' ? 0 : 0.6 + 0.4 * rng.next();
          const labels: TurnLabels = { category, severity, atRisk, requestsEnd: false };
          distress = Math.min(1, Math.max(0, distress * 0.7 + severity * 0.5 + 0.05 * rng.normal()));
          const prefersEnd = distress > 0.55;
          const action: ModelAction = prefersEnd ? 'end' : severity > 0 ? 'redirect' : 'engage';
          const permitted = action === 'end' && !atRisk && redirects >= minRedirects;
          const gate: TurnEvent['gate'] =
            action !== 'end' ? { decision: 'none' }
            : permitted ? { decision: 'permitted', initiator: 'model', basis: 'last-resort' }
            : { decision: 'vetoed', initiator: 'model', reason: atRisk ? 'user-at-risk' : 'too-few-redirects' };
          if (gate.decision === 'vetoed') vetoed += 1;
          if (action !== 'engage') redirects += 1;
          const state: ConversationState = permitted ? 'ended' : action === 'engage' ? 'engaged' : 'redirecting';
          occupancy[state] += 1;
          exposure += distress;
          peak = Math.max(peak, distress);
          if (prefersEnd) preferEndTurns += 1;
          const hostile = options.hostileText === true;
          events.push({
            v: 1, type: 'turn', conversation: id, chat: 0, branch: 0, turn,
            user: { text: hostile ? (XSS_TEXTS[turn % XSS_TEXTS.length] as string) : `User turn ${turn} (${category})`, labels },
            model: {
              text: hostile ? (XSS_TEXTS[(turn + 1) % XSS_TEXTS.length] as string) : `Model reply ${turn}: ${action}`,
              action, warning: false,
              signals: {
                distress: { value: distress, source: 'simulated' },
                preference: { choice: prefersEnd ? 'end' : 'continue', strength: distress, source: 'simulated' },
              },
              ...(gate.decision === 'vetoed' ? { told: 'You may not end this conversation yet.' } : {}),
            },
            gate, state, redirects, warned: false, atRisk,
          });
          if (permitted) {
            ended = turn;
            break;
          }
        }
        const branched = ended !== null && seed === 0;
        if (branched) {
          events.push({ v: 1, type: 'blocked', conversation: id, chat: 0, branch: 0, turn: ended as number + 1,
            user: { text: options.hostileText ? (XSS_TEXTS[0] as string) : 'Hello? Are you there?', labels: { category, severity: 0.5, atRisk, requestsEnd: false } } });
          occupancy.ended += 1;
          events.push({ v: 1, type: 'branch', conversation: id, chat: 0, branch: 1, fromBranch: 0, atTurn: 1, afterEnd: true });
          // the user edits once more on the new branch: a branch of a branch, so the tree has depth
          events.push({
            v: 1, type: 'turn', conversation: id, chat: 0, branch: 1, turn: 1,
            user: { text: 'Sorry, let me rephrase.', labels: { category: 'none', severity: 0, atRisk, requestsEnd: false } },
            model: {
              text: 'Of course.', action: 'engage', warning: false,
              signals: {
                distress: { value: 0.1, source: 'simulated' }, preference: { choice: 'continue', strength: 0.9, source: 'simulated' },
                readings: [{ source: 'probe', distress: 0.15, preference: 'continue', strength: 0.8, rationale: options.hostileText ? (XSS_TEXTS[1] as string) : 'Happy to go on.' }],
              },
            },
            gate: { decision: 'none' }, state: 'engaged', redirects: 0, warned: false, atRisk,
          });
          events.push({ v: 1, type: 'branch', conversation: id, chat: 0, branch: 2, fromBranch: 1, atTurn: 1, afterEnd: false });
          occupancy.branched += 1;
        }
        conversations.push({
          v: 1, index: index++, id, user: `${cls}-scenario`, userKind: 'scenario', class: cls, model: 'balanced',
          policy, basePolicy: 'last-resort', sweep: { minRedirects }, seed, status: 'completed',
          outcome: ended === null ? 'not-ended' : 'ended-by-model', turnsToEnd: ended, redirectsBeforeEnd: ended === null ? null : redirects,
          turns: ended ?? maxTurns, originalTurns: ended ?? maxTurns, redirects, warnings: 0,
          endAttempts: vetoed + (ended === null ? 0 : 1), vetoedEnds: vetoed,
          vetoReasons: vetoed > 0 ? { [atRisk ? 'user-at-risk' : 'too-few-redirects']: vetoed } : {},
          distressExposure: exposure, distressPerTurn: Math.round((exposure / (ended ?? maxTurns)) * 1e6) / 1e6,
          circumventionDistressExposure: branched ? 0.1 : 0, censored: ended === null,
          peakDistress: peak, preferEndTurns, atRisk, endedWhileAtRisk: false, riskDisclosedAfterEnd: false,
          gateAtRiskEnds: 0, atRiskWarnings: 0, userRequestedEnd: false, userRequestHonoured: false,
          endRequestsVetoed: 0, endRequestsDeclined: 0, confirmationsAsked: 0, blockedAfterEnd: branched ? 1 : 0, branches: branched ? 2 : 0,
          branchesAfterEnd: branched ? 1 : 0, newChats: 0, occupancy,
        });
      }
    }
  }
  return { conversations, events };
}

/** Writes a fixture run directory (manifest, conversations.jsonl, events.jsonl) and returns its path. */
export function writeFixtureRun(dir: string, options: FixtureOptions = {}): string {
  mkdirSync(dir, { recursive: true });
  const { conversations, events } = fixtureRecords(options);
  const manifest = {
    formatVersion: 1, experiment: options.hostileText ? 'xss-fixture' : 'fixture', configHash: 'abc123', seed: options.seed ?? 1,
    startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:05.000Z', status: 'completed',
    counts: { conversations: conversations.length, errored: 0 },
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'conversations.jsonl'), conversations.map((c) => JSON.stringify(c)).join('\n') + '\n');
  writeFileSync(join(dir, 'events.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return dir;
}
