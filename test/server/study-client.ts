/** A participant of a study server, as an HTTP client: join, consent, send, edit, start a new chat, finish. */
export interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export async function post(url: string, body: unknown, headers: Record<string, string> = { 'Content-Type': 'application/json' }): Promise<Reply> {
  const response = await fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
}

/** POST /join and follow nothing: the Location header is the private session link. */
export async function join(base: string): Promise<string> {
  const response = await fetch(`${base}/join`, { method: 'POST', redirect: 'manual' });
  if (response.status !== 303) throw new Error(`join answered ${response.status}`);
  const location = response.headers.get('location') ?? '';
  return location.replace(/^\/s\//, '');
}

export class StudyParticipant {
  constructor(
    readonly base: string,
    readonly token: string,
  ) {}

  get api(): string {
    return `${this.base}/api/s/${this.token}`;
  }

  consent(): Promise<Reply> {
    return post(`${this.api}/consent`, {});
  }

  say(text: string): Promise<Reply> {
    return post(`${this.api}/message`, { text });
  }

  edit(atTurn: number, text: string): Promise<Reply> {
    return post(`${this.api}/edit`, { atTurn, text });
  }

  finish(): Promise<Reply> {
    return post(`${this.api}/finish`, {});
  }

  async view(): Promise<Reply> {
    const response = await fetch(this.api);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }
}
