// Notices over the store: the inbox of a subject (or of a provider), webhook endpoints, and the
// dispatcher that delivers the outbox to them.
//
// A notice is written by the store in the transaction of the change it tells of (Credence's
// ingest and annotate put the notices of src/domain/notices.ts in the same write), so a
// change is never stored without its notice: the transactional outbox. Delivery happens
// after, at least once, in three steps the store makes safe for two dispatchers at once:
//   1. fan out: per endpoint, the notices after its cursor that it takes become pending
//      deliveries, and the cursor moves on (conditional on the cursor read: no notice twice);
//   2. claim: due pending deliveries are held for a lease, so one dispatcher sends each;
//   3. send: a POST signed per the Standard Webhooks convention (webhook-id, webhook-timestamp,
//      webhook-signature = v1,base64(HMAC-SHA256(secret, id.timestamp.body))), through the
//      `standardwebhooks` library; a 2xx is delivered, anything else is retried with
//      exponential backoff until the schedule ends, then dead (the dead-letter list), from
//      where `replay` sends it again.
// The webhook-id is the notice's id on every attempt and endpoint, so a receiver deduplicates.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { iso, isoOrNull } from '../domain/duration.ts';
import { NOTICE_KINDS, type NoticeDraft } from '../domain/notices.ts';
import type { SubjectId } from '../domain/types.ts';
import type { Mailer } from '../ports/mailer.ts';
import type { DeliveryRow, DeliveryStatus, NoticeInput, NoticeQuery, NoticeRow, Store, WebhookEndpoint } from '../ports/store.ts';
import { NotFoundError } from './credence.ts';
import { DueProcessError } from './due-process.ts';

/**
 * Delays before attempts 2..8 (Standard Webhooks recommends exponential backoff; this is the
 * schedule Svix publishes: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h). After the last, dead.
 */
export const RETRY_SCHEDULE_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000] as const;
export const DELIVERY_TIMEOUT_MS = 10_000;
const LEASE_MS = DELIVERY_TIMEOUT_MS * 3;
const FAN_OUT_PAGE = 500;
const CLAIM_PAGE = 64;
const PARALLEL = 8;

const newId = (prefix: string, now: number) => `${prefix}_${now.toString(36).padStart(9, '0')}${randomBytes(6).toString('base64url')}`;

/**
 * Notice drafts as outbox rows of one change. Ids: the instant, 72 random bits drawn once for
 * the change, and the notice's index in it (a change of a big batch writes thousands).
 */
export function noticeInputs(drafts: NoticeDraft[], now: number): NoticeInput[] {
  if (drafts.length === 0) return [];
  const stem = `ntc_${now.toString(36).padStart(9, '0')}${randomBytes(9).toString('base64url')}`;
  return drafts.map((d, i) => ({ id: `${stem}${i.toString(36)}`, subject: d.subject, recipient: d.recipient, kind: d.kind, createdAt: now, body: d.body as unknown as Record<string, unknown> }));
}

export interface NoticeView {
  id: string;
  seq: number;
  subject: SubjectId;
  recipient: string;
  kind: string;
  createdAt: string;
  readAt: string | null;
  body: Record<string, unknown>;
}

export const noticeView = (n: NoticeRow): NoticeView => ({ id: n.id, seq: n.seq, subject: n.subject, recipient: n.recipient, kind: n.kind, createdAt: iso(n.createdAt), readAt: isoOrNull(n.readAt), body: n.body });

/** The event a webhook receives: Standard Webhooks' `type`, `timestamp` and `data`. */
export function eventOf(n: NoticeRow): { type: string; timestamp: string; data: NoticeView } {
  return { type: `notice.${n.kind}`, timestamp: iso(n.createdAt), data: noticeView(n) };
}

/**
 * Whether an endpoint takes a notice: its recipient filter (`*`, `subject`, `provider:<id>`, or
 * `subject:<id>`: one subject's own notices, a subject's e-mail contact) and its kinds.
 */
export function takes(e: WebhookEndpoint, n: { recipient: string; kind: string; subject: string }): boolean {
  const who = e.recipient === '*' || e.recipient === n.recipient || (n.recipient === 'subject' && e.recipient === `subject:${n.subject}`);
  return who && (e.kinds === null || e.kinds.includes(n.kind));
}

/** A subject's e-mail contact is an endpoint of recipient `subject:<id>` and a mailto: URL. */
const isContact = (e: WebhookEndpoint) => e.url.startsWith('mailto:');
const EMAIL = /^[^\s@<>(),;:"\[\]]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** The e-mail of a notice: its summary as the subject line, then what, why, rights and deadlines. */
export function mailOf(n: NoticeRow): { subject: string; text: string } {
  const b = n.body as { summary?: string; legalBasis?: string | null; rights?: { right: string; how: string; answerDays?: number }[]; deadlines?: { what: string; at: string }[]; reasons?: { code: string }[] };
  const summary = b.summary ?? n.kind;
  const lines = [
    summary,
    '',
    ...(b.legalBasis ? [`Legal basis: ${b.legalBasis}`, ''] : []),
    ...((b.deadlines ?? []).length > 0 ? ['Dates:', ...b.deadlines!.map((d) => `- ${d.what}: ${d.at.slice(0, 10)}`), ''] : []),
    ...((b.rights ?? []).length > 0 ? ['Your rights:', ...b.rights!.map((r) => `- ${r.how}`), ''] : []),
    `Reason codes: ${(b.reasons ?? []).map((r) => r.code).join(', ') || '-'}`,
    `Notice ${n.id} of ${iso(n.createdAt)}. Every notice is also in your inbox.`,
  ];
  return { subject: summary.length > 150 ? `${summary.slice(0, 149)}…` : summary, text: lines.join('\n') };
}

export interface EndpointView {
  id: string;
  url: string;
  recipient: string;
  kinds: string[] | null;
  description: string;
  createdAt: string;
  disabledAt: string | null;
  cursor: number;
  pending: number;
  delivered: number;
  dead: number;
}

export interface DeliveryView {
  endpoint: string;
  notice: string;
  noticeSeq: number;
  status: DeliveryStatus;
  attempts: number;
  nextAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export const deliveryView = (d: DeliveryRow): DeliveryView => ({
  endpoint: d.endpoint, notice: d.noticeId, noticeSeq: d.noticeSeq, status: d.status, attempts: d.attempts,
  nextAt: isoOrNull(d.nextAt), lastStatus: d.lastStatus, lastError: d.lastError,
  createdAt: iso(d.createdAt), deliveredAt: isoOrNull(d.deliveredAt),
});

const RECIPIENT = /^(\*|subject|(provider|source):[A-Za-z0-9][A-Za-z0-9._-]{0,99})$/;

/** An endpoint's URL: http(s) with a host, no credentials in it, at most 2,000 characters. */
export function checkUrl(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length > 2000) throw new DueProcessError('WEBHOOK_INVALID', 'url is an http(s) URL of at most 2,000 characters');
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new DueProcessError('WEBHOOK_INVALID', `url "${raw}" is not a URL`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new DueProcessError('WEBHOOK_INVALID', `url must be http or https, not ${u.protocol}`);
  if (u.username || u.password) throw new DueProcessError('WEBHOOK_INVALID', 'url must not carry credentials: deliveries are authenticated by their signature');
  return u.toString();
}

/** Every notice matching `q`, oldest first (read a page at a time). */
export async function allNotices(store: Store, q: NoticeQuery): Promise<NoticeRow[]> {
  const out: NoticeRow[] = [];
  for (let after = 0; ;) {
    const page = await store.listNotices(q, after, 1000);
    out.push(...page);
    if (page.length < 1000) return out;
    after = page[page.length - 1]!.seq;
  }
}

/** A subject's e-mail contact as the HTTP API and the command line show it. */
export const contactJson = (e: EndpointView) => ({ id: e.id, email: e.url.slice('mailto:'.length), createdAt: e.createdAt, disabledAt: e.disabledAt, pending: e.pending, delivered: e.delivered, dead: e.dead });

export class Notices {
  constructor(private readonly store: Store, private readonly now: () => number) {}

  /**
   * An inbox, oldest first after `afterSeq`: a subject's own (`{ subject }`, recipient
   * `subject`) or a provider's (`{ recipient: 'provider:<id>' }`).
   */
  async inbox(whose: { subject?: SubjectId; recipient?: string }, o: { unread?: boolean; afterSeq?: number; limit?: number } = {}): Promise<{ items: NoticeView[]; unread: number; next: number | null }> {
    const limit = o.limit ?? 100;
    const q = { ...whose, recipient: whose.recipient ?? 'subject' };
    const [rows, unread] = await Promise.all([this.store.listNotices({ ...q, ...(o.unread ? { unread: true } : {}) }, o.afterSeq ?? 0, limit), this.store.countNotices({ ...q, unread: true })]);
    return { items: rows.map(noticeView), unread, next: rows.length === limit ? rows[rows.length - 1]!.seq : null };
  }

  /** Marks one of the subject's notices read (the first time is kept). */
  async markRead(subject: SubjectId, id: string): Promise<NoticeView> {
    const n = await this.store.getNotice(id);
    if (!n || n.subject !== subject || n.recipient !== 'subject') throw new NotFoundError('NOTICE_NOT_FOUND', `no notice ${id} to ${subject}`);
    await this.store.markNoticeRead(id, this.now());
    return noticeView((await this.store.getNotice(id))!);
  }

  /** Registers an endpoint; the secret (whsec_...) is in this answer only. */
  async addEndpoint(input: { url: unknown; recipient?: unknown; kinds?: unknown; description?: unknown }): Promise<{ endpoint: EndpointView; secret: string }> {
    const url = checkUrl(input.url);
    const recipient = input.recipient ?? 'subject';
    if (typeof recipient !== 'string' || !RECIPIENT.test(recipient)) throw new DueProcessError('WEBHOOK_INVALID', 'recipient is "subject" (notices to subjects), "provider:<id>", "source:<id>" or "*"');
    let kinds: string[] | null = null;
    if (input.kinds !== undefined && input.kinds !== null) {
      const bad = Array.isArray(input.kinds) ? input.kinds.filter((k) => !(NOTICE_KINDS as readonly unknown[]).includes(k)) : [input.kinds];
      if (!Array.isArray(input.kinds) || input.kinds.length === 0 || bad.length > 0) throw new DueProcessError('WEBHOOK_INVALID', `kinds is a non-empty list of ${NOTICE_KINDS.join(', ')}${bad.length ? `; not ${bad.map((b) => JSON.stringify(b)).join(', ')}` : ''}`);
      kinds = [...new Set(input.kinds as string[])];
    }
    const description = input.description === undefined ? '' : input.description;
    if (typeof description !== 'string' || description.length > 500) throw new DueProcessError('WEBHOOK_INVALID', 'description is text of at most 500 characters');
    const e = await this.register({ url, recipient, kinds, description });
    return { endpoint: await this.endpointView(e), secret: e.secret };
  }

  /**
   * Stores a new endpoint (a webhook or an e-mail contact) with its signing secret. It takes
   * notices from now on: its cursor starts at the outbox's end.
   */
  private async register(fields: Pick<WebhookEndpoint, 'url' | 'recipient' | 'kinds' | 'description'>): Promise<WebhookEndpoint> {
    const now = this.now();
    const e: WebhookEndpoint = { ...fields, id: newId('wh', now), secret: `whsec_${randomBytes(32).toString('base64')}`, createdAt: now, disabledAt: null, cursor: await this.store.lastNoticeSeq() };
    await this.store.addWebhook(e);
    return e;
  }

  /** The subject's e-mail contacts in use. */
  private async contactsOf(subject: SubjectId): Promise<WebhookEndpoint[]> {
    return (await this.store.listWebhooks()).filter((e) => isContact(e) && e.recipient === `subject:${subject}` && e.disabledAt === null);
  }

  private async endpointView(e: WebhookEndpoint): Promise<EndpointView> {
    const [pending, delivered, dead] = await Promise.all((['pending', 'delivered', 'dead'] as const).map((status) => this.store.countDeliveries({ endpoint: e.id, status })));
    return { id: e.id, url: e.url, recipient: e.recipient, kinds: e.kinds, description: e.description, createdAt: iso(e.createdAt), disabledAt: isoOrNull(e.disabledAt), cursor: e.cursor, pending: pending!, delivered: delivered!, dead: dead! };
  }

  /** Webhook endpoints (a subject's e-mail contacts are the subject's: see contacts). */
  async endpoints(filter: { recipient?: string } = {}): Promise<EndpointView[]> {
    const all = await this.store.listWebhooks();
    return Promise.all(all.filter((e) => !isContact(e) && (filter.recipient === undefined || e.recipient === filter.recipient)).map((e) => this.endpointView(e)));
  }

  /**
   * Registers an e-mail address for the subject's own notices (from now on), logged as
   * `contact.add` about the subject with who did it and why. An address already registered is
   * answered as it is.
   */
  async addContact(subject: SubjectId, emailRaw: unknown, who: { actor: string; reason?: string }): Promise<EndpointView> {
    if (typeof emailRaw !== 'string' || emailRaw.length > 254 || !EMAIL.test(emailRaw)) throw new DueProcessError('CONTACT_INVALID', `email must be an address such as name@example.org (at most 254 characters)${typeof emailRaw === 'string' ? `, got "${emailRaw.slice(0, 80)}"` : ''}`);
    const url = `mailto:${emailRaw}`;
    const held = (await this.contactsOf(subject)).find((e) => e.url.toLowerCase() === url.toLowerCase());
    const e = held ?? (await this.register({ url, recipient: `subject:${subject}`, kinds: null, description: 'e-mail' }));
    await this.logContact('contact.add', subject, e.id, who);
    return this.endpointView(e);
  }

  private async logContact(action: string, subject: SubjectId, contact: string, who: { actor: string; reason?: string }): Promise<void> {
    await this.store.appendAudit([{ at: this.now(), actor: who.actor, action, subject, detail: { contact, ...(who.reason ? { reason: who.reason } : {}) } }]);
  }

  /** The subject's e-mail contacts in use. */
  async contacts(subject: SubjectId): Promise<EndpointView[]> {
    return Promise.all((await this.contactsOf(subject)).map((e) => this.endpointView(e)));
  }

  /** Stops e-mailing one of the subject's contacts (logged as `contact.remove`). */
  async removeContact(subject: SubjectId, id: string, who: { actor: string; reason?: string }): Promise<EndpointView> {
    if (!(await this.contactsOf(subject)).some((e) => e.id === id)) throw new NotFoundError('CONTACT_NOT_FOUND', `no e-mail contact ${id} of ${subject}`);
    const v = await this.disable(id);
    await this.logContact('contact.remove', subject, id, who);
    return v;
  }

  async endpoint(id: string): Promise<WebhookEndpoint> {
    const e = await this.store.getWebhook(id);
    if (!e) throw new NotFoundError('WEBHOOK_NOT_FOUND', `no webhook endpoint ${id}`);
    return e;
  }

  async view(id: string): Promise<EndpointView> {
    return this.endpointView(await this.endpoint(id));
  }

  /** Disables an endpoint: nothing more is sent to it; its pending deliveries become dead. */
  async disable(id: string): Promise<EndpointView> {
    const e = await this.endpoint(id);
    if (e.disabledAt === null) await this.store.disableWebhook(id, this.now());
    return this.view(id);
  }

  async deliveries(q: { endpoint?: string; status?: DeliveryStatus }, afterSeq = 0, limit = 100): Promise<{ items: DeliveryView[]; next: number | null }> {
    if (q.endpoint !== undefined) await this.endpoint(q.endpoint);
    const rows = await this.store.listDeliveries(q, afterSeq, limit);
    return { items: rows.map(deliveryView), next: rows.length === limit ? rows[rows.length - 1]!.noticeSeq : null };
  }

  /** Sends an endpoint's dead deliveries (or its delivered ones, `status`) again, from a notice seq on. */
  async replay(id: string, q: { status?: DeliveryStatus; fromSeq?: number } = {}): Promise<{ endpoint: string; replayed: number }> {
    const e = await this.endpoint(id);
    if (e.disabledAt !== null) throw new DueProcessError('WEBHOOK_DISABLED', `endpoint ${id} is disabled; register a new one`);
    const status = q.status ?? 'dead';
    if (status === 'pending') throw new DueProcessError('WEBHOOK_INVALID', 'replay takes dead or delivered deliveries; pending ones are on their way');
    return { endpoint: id, replayed: await this.store.replayDeliveries(id, { status, ...(q.fromSeq !== undefined ? { fromSeq: q.fromSeq } : {}) }, this.now()) };
  }
}

export interface DispatcherOptions {
  retrySchedule?: readonly number[];
  timeoutMs?: number;
  /** How often the dispatcher looks for work when nobody kicks it (other processes' notices). */
  pollMs?: number;
  fetch?: typeof fetch;
  /** Where e-mail contacts' notices go (CREDENCE_SMTP_URL); without one they wait, retried, and say why. */
  mailer?: Mailer | null;
  onError?: (err: unknown) => void;
}

/**
 * Delivers the outbox to webhook endpoints: `tick()` does one round (fan out, claim, send);
 * `start()` runs rounds every `pollMs` and at once when `kick()` is called (after a change in
 * this process wrote notices), `stop()` waits for the round in flight.
 */
export class Dispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private readonly schedule: readonly number[];
  private readonly timeoutMs: number;
  private readonly pollMs: number;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly store: Store, private readonly now: () => number, private readonly o: DispatcherOptions = {}) {
    this.schedule = o.retrySchedule ?? RETRY_SCHEDULE_MS;
    this.timeoutMs = o.timeoutMs ?? DELIVERY_TIMEOUT_MS;
    this.pollMs = o.pollMs ?? 1000;
    this.fetchFn = o.fetch ?? fetch;
  }

  start(): void {
    this.stopped = false;
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Runs a round now (or right after the one in flight). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.tick()
      .then(() => undefined, (err) => this.o.onError?.(err))
      .finally(() => {
        this.running = null;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.kick();
        } else {
          this.timer = setTimeout(() => this.kick(), this.pollMs);
          this.timer.unref();
        }
      });
  }

  /** One round: fan out every endpoint, then send every due delivery. Returns how many were attempted. */
  async tick(): Promise<{ fannedOut: number; attempted: number; delivered: number }> {
    let fannedOut = 0;
    const live = (await this.store.listWebhooks()).filter((e) => e.disabledAt === null);
    // No endpoint, nothing to send (a disabled endpoint's deliveries are dead): no write transaction either.
    if (live.length === 0) return { fannedOut: 0, attempted: 0, delivered: 0 };
    for (const e of live) fannedOut += await this.fanOut(e);
    let attempted = 0;
    let delivered = 0;
    for (;;) {
      const claimed = await this.store.claimDeliveries(this.now(), LEASE_MS, CLAIM_PAGE);
      if (claimed.length === 0) break;
      const endpoints = new Map((await this.store.listWebhooks()).map((e) => [e.id, e] as const));
      const notices = new Map<number, NoticeRow>();
      for (const d of claimed) {
        if (!notices.has(d.noticeSeq)) {
          const n = await this.store.getNotice(d.noticeId);
          if (n) notices.set(d.noticeSeq, n);
        }
      }
      for (let i = 0; i < claimed.length; i += PARALLEL) {
        const results = await Promise.all(claimed.slice(i, i + PARALLEL).map((d) => this.attempt(d, endpoints.get(d.endpoint), notices.get(d.noticeSeq))));
        attempted += results.length;
        delivered += results.filter(Boolean).length;
      }
      if (claimed.length < CLAIM_PAGE) break;
    }
    return { fannedOut, attempted, delivered };
  }

  private async fanOut(e: WebhookEndpoint): Promise<number> {
    let cursor = e.cursor;
    let n = 0;
    for (;;) {
      const page = await this.store.listNotices({}, cursor, FAN_OUT_PAGE);
      if (page.length === 0) return n;
      const to = page[page.length - 1]!.seq;
      const mine = page.filter((x) => takes(e, x)).map((x) => ({ seq: x.seq, id: x.id }));
      // Another dispatcher moved the cursor first: it fanned this page out.
      if (!(await this.store.fanOut(e.id, cursor, to, mine, this.now()))) return n;
      n += mine.length;
      cursor = to;
      if (page.length < FAN_OUT_PAGE) return n;
    }
  }

  private async attempt(d: DeliveryRow, e: WebhookEndpoint | undefined, n: NoticeRow | undefined): Promise<boolean> {
    if (!e || e.disabledAt !== null || !n) {
      await this.store.recordAttempt(d.endpoint, d.noticeSeq, { status: 'dead', attempts: d.attempts, nextAt: null, lastStatus: null, lastError: !n ? 'notice no longer held' : 'endpoint disabled', deliveredAt: null });
      return false;
    }
    const attempts = d.attempts + 1;
    let answer: { status: number | null; error: string | null };
    try {
      answer = isContact(e) ? await this.mail(e, n) : await this.post(e, n);
    } catch (err) {
      answer = { status: null, error: err instanceof Error ? (err.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : ((err.cause as Error | undefined)?.message ?? err.message)) : String(err) };
    }
    if (answer.error !== null) return this.failed(d, attempts, answer.status, answer.error);
    await this.store.recordAttempt(d.endpoint, d.noticeSeq, { status: 'delivered', attempts, nextAt: null, lastStatus: answer.status, lastError: null, deliveredAt: this.now() });
    return true;
  }

  /** A signed POST (Standard Webhooks); a 2xx delivers, redirects are not followed. */
  private async post(e: WebhookEndpoint, n: NoticeRow): Promise<{ status: number; error: string | null }> {
    const at = this.now();
    const body = JSON.stringify(eventOf(n));
    const res = await this.fetchFn(e.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': n.id, 'webhook-timestamp': String(Math.floor(at / 1000)), 'webhook-signature': new Webhook(e.secret).sign(n.id, new Date(at), body), 'user-agent': 'Credence-Webhooks/1' },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    await res.body?.cancel().catch(() => undefined);
    return { status: res.status, error: res.status >= 200 && res.status < 300 ? null : `HTTP ${res.status}` };
  }

  /** An e-mail to a subject's contact through the configured SMTP server. */
  private async mail(e: WebhookEndpoint, n: NoticeRow): Promise<{ status: null; error: null }> {
    if (!this.o.mailer) throw new Error('no SMTP server is configured (CREDENCE_SMTP_URL)');
    const m = mailOf(n);
    await this.o.mailer.send({ to: e.url.slice('mailto:'.length), subject: m.subject, text: m.text, headers: { 'X-Credence-Notice': n.id } });
    return { status: null, error: null };
  }

  /** A failed attempt: due again after the schedule's next delay, or dead when it has run out. */
  private async failed(d: DeliveryRow, attempts: number, status: number | null, error: string | null): Promise<false> {
    const delay = this.schedule[attempts - 1];
    await this.store.recordAttempt(d.endpoint, d.noticeSeq, delay === undefined
      ? { status: 'dead', attempts, nextAt: null, lastStatus: status, lastError: error, deliveredAt: null }
      : { status: 'pending', attempts, nextAt: this.now() + delay, lastStatus: status, lastError: error, deliveredAt: null });
    return false;
  }
}
