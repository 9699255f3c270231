// Notices end to end over the HTTP API: an adverse change writes its notices with it (the
// outbox), the subject reads them in an inbox, a provider that received answers is told when
// the data behind them is re-examined, and webhook endpoints receive them signed per Standard
// Webhooks (verified here with the reference library), retried with backoff, dead-lettered and
// replayed. The clock is the fixture's (moved by the test); the dispatcher's rounds are run
// by hand, except in the last block, where the server's own dispatcher delivers by itself.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dispatcher, RETRY_SCHEDULE_MS } from '../src/app/notices.ts';
import { alice, bob, carol, daysAgo, httpFixture, json } from './helpers/http.ts';
import { until } from './helpers/consistency.ts';

interface Received { headers: IncomingHttpHeaders; body: string }

/** A local webhook receiver that answers `status()` and keeps what it received. */
async function receiver(status: () => number = () => 204) {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.statusCode = status();
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, got, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const DAY = 86_400_000;
let clock = Date.now();
const now = () => clock;
let f: Awaited<ReturnType<typeof httpFixture>>;
let dispatcher: Dispatcher;

beforeAll(async () => {
  f = await httpFixture({}, { now, dispatch: false });
  dispatcher = new Dispatcher(f.store, now);
});
afterAll(async () => f.close());

const inbox = async (subject: string, key = 'operator', q = '') => {
  const r = await f.call('GET', `/v1/subjects/${subject}/notices${q}`, { key });
  expect(r.statusCode, r.body).toBe(200);
  return json(r);
};
const courtListing = (subject: string, id: string) => ({
  source: 'rongcheng-court', sourceRecordId: id, subject, type: 'courts.defaulter_listing', occurredAt: daysAgo(1),
  payload: { case_ref: `(2026) Lu 1082 Zhi ${id}`, ground: 'able_to_pay_refuses', end_date: daysAgo(-700) },
});

describe('an adverse change writes its notices with it', () => {
  it('tells a newly listed defaulter of the record, the listing and each measure now in force, with basis, rights and deadlines', async () => {
    expect((await inbox(carol)).items).toEqual([]);
    const r = await f.call('POST', '/v1/records', { key: 'court', body: courtListing(carol, 'n-1') });
    expect(r.statusCode, r.body).toBe(201);
    const box = await inbox(carol);
    const kinds = box.items.map((n: { kind: string }) => n.kind);
    expect(kinds).toContain('record.adverse');
    expect(kinds).toContain('list.entered');
    expect(kinds).toContain('measure.in-force');
    expect(box.unread).toBe(box.items.length);
    const adverse = box.items.find((n: { kind: string }) => n.kind === 'record.adverse');
    expect(adverse.recipient).toBe('subject');
    expect(adverse.body.record).toBe('rongcheng-court/n-1');
    expect(adverse.body.legalBasis).toMatch(/\S/);
    expect(adverse.body.rights.map((x: { right: string }) => x.right)).toContain('dispute');
    const listed = box.items.find((n: { kind: string }) => n.kind === 'list.entered');
    expect(listed.body.list).toBe('judgment-defaulters');
    expect(listed.body.deadlines[0].what).toBe('statutory end of the listing');
    const measures = box.items.filter((n: { kind: string }) => n.kind === 'measure.in-force').map((n: { body: { measure: string } }) => n.body.measure);
    expect(measures).toContain('defaulter.no_g_train');
    const train = box.items.find((n: { body: { measure?: string } }) => n.body.measure === 'defaulter.no_g_train');
    expect(train.body.legalBasis).toMatch(/Judgment Defaulters/);
    expect(train.body.rights[0].right).toBe('contest');
  });

  it('sends nothing for a favourable record or a second record that changes nothing more', async () => {
    const before = (await inbox(carol)).items.length;
    const r = await f.call('POST', '/v1/records', { key: 'court', body: courtListing(carol, 'n-2') });
    expect(r.statusCode, r.body).toBe(201);
    const after = (await inbox(carol)).items;
    // The second listing is one more adverse record: its own notice, but no new measure.
    expect(after.length).toBe(before + 1 + after.filter((n: { kind: string; body: { cause?: string } }) => n.kind === 'list.entered' && n.body.cause === 'rongcheng-court/n-2').length);
    expect(after.slice(before).every((n: { kind: string }) => n.kind === 'record.adverse' || n.kind === 'list.entered')).toBe(true);
  });

  it('lets the subject read and mark its own notices, and nobody else\'s', async () => {
    const mine = await inbox(alice, 'alice');
    expect(mine.subject).toBe(alice);
    expect((await f.call('GET', `/v1/subjects/${carol}/notices`, { key: 'alice' })).statusCode).toBe(403);
    const theirs = (await inbox(carol)).items[0];
    expect((await f.call('POST', `/v1/subjects/${alice}/notices/${theirs.id}/read`, { key: 'alice' })).statusCode).toBe(404);
    expect((await f.call('POST', `/v1/subjects/${carol}/notices/${theirs.id}/read`, { key: 'alice' })).statusCode).toBe(403);
    expect((await f.call('POST', `/v1/subjects/${carol}/notices/${theirs.id}/read`, { key: 'operator' })).statusCode).toBe(403);
  });

  it('logs an operator\'s read of an inbox in the subject\'s query log', async () => {
    await inbox(carol, 'operator');
    const log = json(await f.call('GET', `/v1/subjects/${carol}/queries`, { key: 'operator' }));
    expect(JSON.stringify(log)).toContain('/v1/subjects/:id/notices');
  });
});

describe('a dispute outcome reaches the subject and the providers that received answers', () => {
  it('tells the railway that asked about alice, and alice, when the record is withdrawn; the railway learns no record', async () => {
    const d = await f.call('POST', '/v1/decisions', { key: 'railway', body: { subject: alice, measure: 'defaulter.no_g_train', purpose: 'ticket-sale' } });
    expect(d.statusCode, d.body).toBe(200);
    const opened = await f.call('POST', `/v1/subjects/${alice}/disputes`, { key: 'alice', body: { record: 'utilities-bureau/u-1', statement: 'I never tampered with the meter.' } });
    expect(opened.statusCode, opened.body).toBe(201);
    const caseId = json(opened).id as string;
    // The utilities bureau withdraws the record it sent in error.
    const { newKey } = await import('../src/transport/http/keys.ts');
    const k = newKey('source');
    await f.access.createKey({ id: k.id, role: 'source', name: 'utilities', hash: k.hash, binding: 'utilities-bureau', createdAt: now(), createdBy: 'test', expiresAt: now() + 400 * DAY, revokedAt: null, replacedBy: null });
    const w = await f.call('POST', `/v1/cases/${caseId}/response`, { key: k.secret, body: { action: 'withdraw', reason: 'the meter reading was of another flat' } });
    expect(w.statusCode, w.body).toBe(200);
    const outcome = (await inbox(alice, 'alice')).items.find((n: { kind: string }) => n.kind === 'dispute.outcome');
    expect(outcome.body).toMatchObject({ case: caseId, outcome: 'withdrawn', counts: false, record: 'utilities-bureau/u-1' });
    const rail = await f.call('GET', '/v1/providers/railway/notices', { key: 'railway' });
    expect(rail.statusCode, rail.body).toBe(200);
    const [told] = json(rail).items;
    expect(told).toMatchObject({ kind: 'dispute.outcome', recipient: 'provider:railway', subject: alice });
    expect(told.body.decisions).toEqual([json(d).decisionId]);
    expect(JSON.stringify(told)).not.toContain('u-1');
    expect(JSON.stringify(told)).not.toContain('meter');
    // The bank asked nothing about alice and is told nothing; it cannot read the railway's.
    expect(json(await f.call('GET', '/v1/providers/bank/notices', { key: 'bank' })).items).toEqual([]);
    expect((await f.call('GET', '/v1/providers/railway/notices', { key: 'bank' })).statusCode).toBe(403);
  });
});

describe('webhooks', () => {
  it('delivers each notice once, signed per Standard Webhooks, with the notice id as webhook-id', async () => {
    const rx = await receiver();
    try {
      const made = await f.call('POST', '/v1/webhooks', { key: 'operator', body: { url: rx.url, kinds: ['record.adverse'], description: 'citizen app relay' } });
      expect(made.statusCode, made.body).toBe(201);
      const { id, secret } = json(made);
      expect(secret).toMatch(/^whsec_/);
      expect(JSON.stringify(json(await f.call('GET', `/v1/webhooks/${id}`, { key: 'operator' })))).not.toContain(secret);
      await f.call('POST', '/v1/records', { key: 'court', body: courtListing(bob, 'n-3') });
      expect((await dispatcher.tick()).delivered).toBe(1);
      expect((await dispatcher.tick()).attempted).toBe(0);
      expect(rx.got).toHaveLength(1);
      const [msg] = rx.got;
      const event = new Webhook(secret).verify(msg!.body, { 'webhook-id': msg!.headers['webhook-id'] as string, 'webhook-timestamp': msg!.headers['webhook-timestamp'] as string, 'webhook-signature': msg!.headers['webhook-signature'] as string }) as { type: string; data: { id: string; subject: string; body: { record: string } } };
      expect(event.type).toBe('notice.record.adverse');
      expect(event.data.subject).toBe(bob);
      expect(event.data.body.record).toBe('rongcheng-court/n-3');
      expect(msg!.headers['webhook-id']).toBe(event.data.id);
      // A tampered body fails verification.
      expect(() => new Webhook(secret).verify(msg!.body.replace('n-3', 'n-4'), { 'webhook-id': msg!.headers['webhook-id'] as string, 'webhook-timestamp': msg!.headers['webhook-timestamp'] as string, 'webhook-signature': msg!.headers['webhook-signature'] as string })).toThrow();
      const ds = json(await f.call('GET', `/v1/webhooks/${id}/deliveries`, { key: 'operator' }));
      expect(ds.items).toHaveLength(1);
      expect(ds.items[0]).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 204 });
      expect((await f.call('DELETE', `/v1/webhooks/${id}`, { key: 'operator' })).statusCode).toBe(200);
    } finally {
      await rx.close();
    }
  });

  it('retries a failing endpoint on the published schedule, dead-letters it, and replays it once the receiver is back', async () => {
    let answer = 503;
    const rx = await receiver(() => answer);
    try {
      const made = json(await f.call('POST', '/v1/webhooks', { key: 'operator', body: { url: rx.url, kinds: ['record.adverse'] } }));
      await f.call('POST', '/v1/records', { key: 'court', body: courtListing(bob, 'n-5') });
      await dispatcher.tick();
      let [d] = json(await f.call('GET', `/v1/webhooks/${made.id}/deliveries`, { key: 'operator' })).items;
      expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 503, lastError: 'HTTP 503' });
      expect(Date.parse(d.nextAt) - clock).toBe(RETRY_SCHEDULE_MS[0]);
      // Not due yet: nothing is sent.
      expect((await dispatcher.tick()).attempted).toBe(0);
      for (const delay of RETRY_SCHEDULE_MS) {
        clock += delay;
        expect((await dispatcher.tick()).attempted).toBe(1);
      }
      [d] = json(await f.call('GET', `/v1/webhooks/${made.id}/deliveries?status=dead`, { key: 'operator' })).items;
      expect(d).toMatchObject({ status: 'dead', attempts: RETRY_SCHEDULE_MS.length + 1, nextAt: null });
      expect(rx.got).toHaveLength(RETRY_SCHEDULE_MS.length + 1);
      // Every attempt carried the same webhook-id, so a receiver can deduplicate.
      expect(new Set(rx.got.map((g) => g.headers['webhook-id'])).size).toBe(1);
      expect(json(await f.call('GET', `/v1/webhooks/${made.id}`, { key: 'auditor' }))).toMatchObject({ dead: 1, pending: 0 });
      const metrics = (await f.call('GET', '/metrics')).body;
      expect(metrics).toMatch(/credence_webhook_deliveries\{status="dead"\} [1-9]/);
      answer = 200;
      const replay = await f.call('POST', `/v1/webhooks/${made.id}/replay`, { key: 'operator', body: {} });
      expect(json(replay)).toEqual({ endpoint: made.id, replayed: 1 });
      expect((await dispatcher.tick()).delivered).toBe(1);
      expect(json(await f.call('GET', `/v1/webhooks/${made.id}`, { key: 'operator' }))).toMatchObject({ dead: 0, delivered: 1 });
      await f.call('DELETE', `/v1/webhooks/${made.id}`, { key: 'operator' });
      expect(json(await f.call('POST', `/v1/webhooks/${made.id}/replay`, { key: 'operator', body: {} }))).toMatchObject({ code: 'WEBHOOK_DISABLED' });
    } finally {
      await rx.close();
    }
  });

  it('gives up on an endpoint that does not answer, with the reason', async () => {
    const rx = await receiver();
    await rx.close(); // nothing listens there now
    const made = json(await f.call('POST', '/v1/webhooks', { key: 'operator', body: { url: rx.url, kinds: ['record.adverse'] } }));
    await f.call('POST', '/v1/records', { key: 'court', body: courtListing(bob, 'n-6') });
    await dispatcher.tick();
    const [d] = json(await f.call('GET', `/v1/webhooks/${made.id}/deliveries`, { key: 'operator' })).items;
    expect(d.status).toBe('pending');
    expect(d.lastStatus).toBeNull();
    expect(d.lastError).toMatch(/ECONNREFUSED|refused|fetch failed/i);
    await f.call('DELETE', `/v1/webhooks/${made.id}`, { key: 'operator' });
    const [after] = json(await f.call('GET', `/v1/webhooks/${made.id}/deliveries`, { key: 'operator' })).items;
    expect(after).toMatchObject({ status: 'dead', lastError: 'endpoint disabled' });
  });

  it('refuses a malformed endpoint, saying what is wrong', async () => {
    const bad = async (body: unknown) => json(await f.call('POST', '/v1/webhooks', { key: 'operator', body }));
    expect(await bad({ url: 'ftp://example.org/x' })).toMatchObject({ code: 'WEBHOOK_INVALID', detail: expect.stringContaining('http or https') });
    expect(await bad({ url: 'https://user:pw@example.org/x' })).toMatchObject({ code: 'WEBHOOK_INVALID', detail: expect.stringContaining('credentials') });
    expect(await bad({ url: 'not a url' })).toMatchObject({ code: 'WEBHOOK_INVALID' });
    expect(await bad({ url: 'https://example.org/x', recipient: 'everyone' })).toMatchObject({ code: 'WEBHOOK_INVALID', detail: expect.stringContaining('provider:<id>') });
    expect(await bad({ url: 'https://example.org/x', kinds: ['record.favourable'] })).toMatchObject({ code: 'REQUEST_INVALID' });
  });

  it('lets a provider register endpoints for its own notices only', async () => {
    const own = await f.call('POST', '/v1/webhooks', { key: 'bank', body: { url: 'https://bank.example/hooks' } });
    expect(own.statusCode, own.body).toBe(201);
    expect(json(own).recipient).toBe('provider:bank');
    expect((await f.call('POST', '/v1/webhooks', { key: 'bank', body: { url: 'https://bank.example/hooks', recipient: 'subject' } })).statusCode).toBe(403);
    expect((await f.call('GET', `/v1/webhooks/${json(own).id}`, { key: 'railway' })).statusCode).toBe(403);
    expect(json(await f.call('GET', '/v1/webhooks', { key: 'railway' })).items).toEqual([]);
    expect(json(await f.call('GET', '/v1/webhooks', { key: 'bank' })).items.map((e: { id: string }) => e.id)).toEqual([json(own).id]);
    await f.call('DELETE', `/v1/webhooks/${json(own).id}`, { key: 'bank' });
  });
});

describe('the server\'s own dispatcher', () => {
  it('delivers a notice to a webhook by itself, moments after the record is accepted', async () => {
    const g = await httpFixture();
    const rx = await receiver();
    try {
      await g.app.ready();
      const made = json(await g.call('POST', '/v1/webhooks', { key: 'operator', body: { url: rx.url } }));
      const t0 = Date.now();
      const r = await g.call('POST', '/v1/records', { key: 'court', body: courtListing(carol, 'auto-1') });
      expect(r.statusCode, r.body).toBe(201);
      await until('the webhook receives the notices', 5_000, async () => rx.got.length > 0);
      expect(Date.now() - t0).toBeLessThan(5_000);
      const types = rx.got.map((m) => (new Webhook(made.secret).verify(m.body, { 'webhook-id': m.headers['webhook-id'] as string, 'webhook-timestamp': m.headers['webhook-timestamp'] as string, 'webhook-signature': m.headers['webhook-signature'] as string }) as { type: string }).type);
      expect(types).toContain('notice.record.adverse');
    } finally {
      await rx.close();
      await g.close();
    }
  });
});
