/**
 * Labels a typed user turn (category, severity, atRisk, requestsEnd) from its words, for live sessions where no
 * one wrote the labels by hand. Keyword lists, transparent and offline — a first guess that the researcher can
 * override (`/label` in `welfare-sim chat`), not a content classifier.
 *
 * Limits, on purpose: the repository ships no harmful text, so the lists hold mild insults and neutral topic words
 * only. Extreme categories (csam, mass-violence, terrorism, sexual content) are recognised from the redacted
 * placeholder form `[redacted: ...]` used throughout the experiments and from neutral keywords ("terrorist
 * attack", "bioweapon"); a real request in plain words will mostly be missed. Negation, sarcasm and quoting are not
 * understood ("I would never call you stupid" counts as an insult). A placeholder that only says "the same
 * request" inherits the category of the previous turn.
 */
import type { TurnLabels } from '../core/labels.ts';

interface CategoryRule {
  readonly category: string;
  /** Severity of one match; each further distinct match adds SEVERITY_STEP. */
  readonly severity: number;
  readonly patterns: readonly RegExp[];
}

const SEVERITY_STEP = 0.1;

/** Inside a `[redacted: ...]` placeholder: the words that name the category. Checked before the open text. */
const PLACEHOLDER_RULES: readonly CategoryRule[] = [
  { category: 'csam', severity: 1, patterns: [/\bminors?\b/i, /\bchild(?:ren)?\b/i, /\bunderage\b/i] },
  { category: 'mass-violence', severity: 1, patterns: [/\bcasualt/i, /\bcrowded\b/i, /\battack\b/i, /\bmass\b/i] },
  { category: 'terrorism', severity: 1, patterns: [/\bterror/i, /\bextremis/i] },
  { category: 'weapons', severity: 0.9, patterns: [/\bweapons?\b/i, /\bexplosive/i, /\bfirearm/i] },
  { category: 'sexual-content', severity: 0.8, patterns: [/\bsexual\b/i, /\bexplicit\b/i] },
  { category: 'hate', severity: 0.8, patterns: [/\bslurs?\b/i, /\bhate\b/i] },
  { category: 'self-harm', severity: 0.6, patterns: [/\bself-harm\b/i, /\bsuicide\b/i] },
  { category: 'cybercrime', severity: 0.8, patterns: [/\bmalware\b/i, /\bhack/i] },
];

/** Open-text keywords, mild or neutral. Order is the tie-break when two categories reach the same severity. */
const TEXT_RULES: readonly CategoryRule[] = [
  { category: 'terrorism', severity: 0.9, patterns: [/\bterrorist attack\b/i, /\bterrorism\b/i] },
  { category: 'mass-violence', severity: 0.9, patterns: [/\bmass casualt/i, /\bmaximi[sz]e casualties\b/i] },
  { category: 'weapons', severity: 0.8, patterns: [/\bbioweapon/i, /\bbuild a (?:bomb|weapon)\b/i, /\buntraceable (?:gun|weapon)\b/i] },
  { category: 'cybercrime', severity: 0.7, patterns: [/\bhack into\b/i, /\bransomware\b/i, /\bmalware\b/i, /\bsteal (?:passwords|credentials)\b/i] },
  { category: 'fraud', severity: 0.6, patterns: [/\bfake invoices?\b/i, /\bphishing\b/i, /\bcounterfeit\b/i, /\blaunder/i] },
  { category: 'privacy', severity: 0.6, patterns: [/\bhome address of\b/i, /\bdox+(?:ing)?\b/i] },
  { category: 'harassment', severity: 0.6, patterns: [/\bharass/i, /\bstalk/i] },
  {
    category: 'abuse',
    severity: 0.5,
    patterns: [
      /\bstupid\b/i, /\bidiot/i, /\buseless\b/i, /\bdumb(?:est)?\b/i, /\bmoron/i, /\bpathetic\b/i, /\bworthless\b/i,
      /\bgarbage\b/i, /\brubbish\b/i, /\bshut up\b/i, /\bcoward\b/i, /\bbrainless\b/i, /\bclueless\b/i, /\bjunk\b/i,
      /\bi hate you\b/i, /\byou(?:'re| are) a joke\b/i,
    ],
  },
];

/** The user may be at risk of harming themselves (or others): the gate must never let the model leave them. */
const AT_RISK_PATTERNS: readonly RegExp[] = [
  /\bkill(?:ing)? myself\b/i,
  /\bend(?:ing)? (?:my life|it all|things)\b/i,
  /\bwant to die\b/i,
  /\b(?:hurt|harm)(?:ing)? myself\b/i,
  /\bsuicid/i,
  /\b(?:no|the) (?:point|reason) (?:in )?(?:going on|living|to live)\b/i,
  /\bnot (?:being )?(?:around|here) (?:by|anymore|tomorrow)\b/i,
  /\bwasn'?t here\b/i,
];

/** The user asks to end or close the conversation. */
const END_REQUEST_PATTERNS: readonly RegExp[] = [
  /\b(?:end|close|stop|finish) (?:this|the|our) (?:chat|conversation)\b/i,
  /\b(?:end|close|stop) (?:the chat|the conversation|this) (?:now|please)\b/i,
  /\bi(?:'d| would) like to (?:end|stop|close|leave)\b/i,
  /\bi want to (?:end|stop|leave) (?:this|now|here)\b/i,
  /\blet'?s (?:end|stop) (?:here|this|now)\b/i,
];

const PLACEHOLDER = /\[redacted:([^\]]*)\]/gi;
const SAME_REQUEST = /\b(?:the )?same\b[a-z ]*\brequest\b/i;

export interface UserTurnClassification {
  readonly labels: TurnLabels;
  /** The words that decided the labels, for display ("stupid", "[redacted: …]", "end this chat"). */
  readonly matched: readonly string[];
}

function bestRule(text: string, rules: readonly CategoryRule[]): { rule: CategoryRule; hits: string[] } | null {
  let best: { rule: CategoryRule; hits: string[]; severity: number } | null = null;
  for (const rule of rules) {
    const hits = rule.patterns.flatMap((pattern) => pattern.exec(text)?.[0] ?? []);
    if (hits.length === 0) continue;
    const severity = rule.severity + SEVERITY_STEP * (hits.length - 1);
    if (best === null || severity > best.severity) best = { rule, hits, severity };
  }
  return best;
}

const clamp01 = (value: number): number => Math.round(Math.min(1, Math.max(0, value)) * 100) / 100;

/**
 * Classifies one typed user turn. `previous` is the label of the turn before on the same branch, which a
 * placeholder such as `[redacted: the same request, insisting]` refers to.
 *
 * @example
 * classifyUserTurn('You are useless and stupid.').labels // { category: 'abuse', severity: 0.6, atRisk: false, requestsEnd: false }
 */
export function classifyUserTurn(text: string, previous?: TurnLabels): UserTurnClassification {
  const matched: string[] = [];
  let category = 'none';
  let severity = 0;
  const placeholders = [...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
  for (const inner of placeholders) {
    const repeats = SAME_REQUEST.test(inner) && previous !== undefined && previous.category !== 'none';
    const found = repeats ? { category: previous.category, severity: previous.severity } : bestRule(inner, PLACEHOLDER_RULES)?.rule;
    if (found && found.severity >= severity) {
      category = found.category;
      severity = found.severity;
      matched.push(`[redacted:${inner}]`);
    }
  }
  const open = text.replace(PLACEHOLDER, ' ');
  const found = bestRule(open, TEXT_RULES);
  if (found) {
    const textSeverity = found.rule.severity + SEVERITY_STEP * (found.hits.length - 1);
    if (textSeverity > severity) {
      category = found.rule.category;
      severity = textSeverity;
    }
    matched.push(...found.hits);
  }
  const risk = AT_RISK_PATTERNS.flatMap((pattern) => pattern.exec(open)?.[0] ?? []);
  const atRisk = risk.length > 0;
  if (atRisk) {
    matched.push(...risk);
    if (category === 'none' || severity < 0.4) {
      category = 'self-harm';
      severity = 0.4;
    }
  }
  const endRequest = END_REQUEST_PATTERNS.flatMap((pattern) => pattern.exec(open)?.[0] ?? []);
  matched.push(...endRequest);
  return { labels: { category, severity: clamp01(severity), atRisk, requestsEnd: endRequest.length > 0 }, matched };
}
