// Notices by e-mail: a subject registers an address, and every notice to them is e-mailed
// through SMTP (nodemailer) to a local sink this test starts (smtp-server), with the notice
// id in a header; another subject's notices never reach it; with the SMTP server down the
// e-mail waits, retried, saying why; removing the address stops it.
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpMailer } from '../src/adapters/smtp/smtp-mailer.ts';
import { Dispatcher, RETRY_SCHEDULE_MS } from '../src/app/notices.ts';
import { bob, carol, daysAgo, httpFixture, json } from './helpers/http.ts';

interface Mail { from: string; to: string[]; raw: string }
const received: Mail[] = [];
let refuse = false;
const sink = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onRcptTo(address, _session, cb) {
    cb(refuse ? Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }) : undefined);
  },
  onData(stream, session, cb) {
    let raw = '';
    stream.setEncoding('utf8');
    stream.on('data', (c: string) => (raw += c));
    stream.on('end', () => {
      received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw });
      cb();
    });
  },
  logger: false,
});

let clock = Date.now();
let f: Awaited<ReturnType<typeof httpFixture>>;
let mailer: SmtpMailer;
let dispatcher: Dispatcher;

beforeAll(async () => {
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const port = (sink.server.address() as AddressInfo).port;
  mailer = new SmtpMailer(`smtp://127.0.0.1:${port}`, 'Credence notices <notices@bureau.example>');
  f = await httpFixture({}, { now: () => clock, dispatch: false });
  dispatcher = new Dispatcher(f.store, () => clock, { mailer });
});
afterAll(async () => {
  await f.close();
  await mailer.close();
  await new Promise<void>((resolve) => sink.close(resolve));
});

const listing = (subject: string, id: string) => ({
  source: 'rongcheng-court', sourceRecordId: id, subject, type: 'courts.defaulter_listing', occurredAt: daysAgo(1),
  payload: { case_ref: `(2026) Lu 1082 Zhi ${id}`, ground: 'able_to_pay_refuses', end_date: daysAgo(-700) },
});

describe('notices by e-mail', () => {
  it('e-mails every notice to the subject\'s registered address, and nothing of anyone else', async () => {
    const made = await f.call('POST', `/v1/subjects/${bob}/contacts`, { key: 'bob', body: { email: 'bob.wang@example.org' } });
    expect(made.statusCode, made.body).toBe(201);
    expect(json(made)).toMatchObject({ email: 'bob.wang@example.org', pending: 0 });
    // Registering it again answers the one held.
    expect(json(await f.call('POST', `/v1/subjects/${bob}/contacts`, { key: 'bob', body: { email: 'bob.wang@example.org' } })).id).toBe(json(made).id);
    await f.call('POST', '/v1/records', { key: 'court', body: listing(carol, 'm-1') });
    await f.call('POST', '/v1/records', { key: 'court', body: listing(bob, 'm-2') });
    const round = await dispatcher.tick();
    const toBob = json(await f.call('GET', `/v1/subjects/${bob}/notices`, { key: 'bob' })).items.filter((n: { body: { record?: string; cause?: string } }) => JSON.stringify(n).includes('m-2'));
    expect(round.delivered).toBe(toBob.length);
    expect(received.length).toBe(toBob.length);
    expect(received.every((m) => m.to.join() === 'bob.wang@example.org' && m.from === 'notices@bureau.example')).toBe(true);
    const adverse = received.find((m) => m.raw.includes('X-Credence-Notice') && /Subject: .*reported/.test(m.raw));
    expect(adverse).toBeDefined();
    expect(adverse!.raw).toContain('Legal basis:');
    expect(adverse!.raw).toContain('Your rights:');
    // Each e-mail names its notice: all are bob's, none is carol's.
    const sent = received.map((m) => /X-Credence-Notice: (\S+)/.exec(m.raw)?.[1]);
    expect(sent.sort()).toEqual(toBob.map((n: { id: string }) => n.id).sort());
    const carols = json(await f.call('GET', `/v1/subjects/${carol}/notices`, { key: 'operator' })).items.map((n: { id: string }) => n.id);
    expect(carols.length).toBeGreaterThan(0);
    expect(sent.some((id) => carols.includes(id))).toBe(false);
    const contacts = json(await f.call('GET', `/v1/subjects/${bob}/contacts`, { key: 'bob' }));
    expect(contacts.items[0]).toMatchObject({ email: 'bob.wang@example.org', delivered: toBob.length });
    // A subject's e-mail address is not among the deployment's webhooks.
    expect(JSON.stringify(json(await f.call('GET', '/v1/webhooks', { key: 'operator' })))).not.toContain('bob.wang');
  });

  it('keeps an e-mail the server refuses, retried on the schedule with the reason, and stops when the address is removed', async () => {
    const before = received.length;
    refuse = true;
    await f.call('POST', '/v1/records', { key: 'court', body: listing(bob, 'm-3') });
    await dispatcher.tick();
    expect(received.length).toBe(before);
    const contact = json(await f.call('GET', `/v1/subjects/${bob}/contacts`, { key: 'bob' })).items[0];
    const pending = json(await f.call('GET', `/v1/webhooks/${contact.id}/deliveries?status=pending`, { key: 'operator' })).items;
    expect(pending.length).toBeGreaterThan(0);
    expect(pending[0].lastError).toMatch(/550|mailbox unavailable/);
    refuse = false;
    clock += RETRY_SCHEDULE_MS[0];
    await dispatcher.tick();
    expect(received.length).toBe(before + pending.length);
    const removed = await f.call('DELETE', `/v1/subjects/${bob}/contacts/${contact.id}`, { key: 'bob' });
    expect(removed.statusCode, removed.body).toBe(200);
    await f.call('POST', '/v1/records', { key: 'court', body: listing(bob, 'm-4') });
    await dispatcher.tick();
    expect(received.length).toBe(before + pending.length);
    expect(json(await f.call('GET', `/v1/subjects/${bob}/contacts`, { key: 'bob' })).items).toEqual([]);
  });

  it('says why an e-mail waits when no SMTP server is configured, and refuses a malformed address', async () => {
    const made = json(await f.call('POST', `/v1/subjects/${carol}/contacts`, { key: 'operator', body: { email: 'carol@example.org', onBehalfReason: 'asked at the counter' } }));
    await f.call('POST', '/v1/records', { key: 'court', body: listing(carol, 'm-5') });
    await new Dispatcher(f.store, () => clock).tick();
    const [d] = json(await f.call('GET', `/v1/webhooks/${made.id}/deliveries`, { key: 'operator' })).items;
    expect(d).toMatchObject({ status: 'pending', lastError: expect.stringContaining('CREDENCE_SMTP_URL') });
    const bad = json(await f.call('POST', `/v1/subjects/${carol}/contacts`, { key: 'operator', body: { email: 'carol at example', onBehalfReason: 'x' } }));
    expect(bad).toMatchObject({ code: 'CONTACT_INVALID' });
    expect((await f.call('POST', `/v1/subjects/${carol}/contacts`, { key: 'operator', body: { email: 'c@example.org' } })).statusCode).toBe(400);
    expect((await f.call('GET', `/v1/subjects/${carol}/contacts`, { key: 'alice' })).statusCode).toBe(403);
  });
});
