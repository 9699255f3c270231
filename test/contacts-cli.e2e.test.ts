// E-mail contacts from the command line, as an operator at a counter handles them: the
// subject's address recorded with a stated reason, the next notice e-mailed by the cron's
// delivery round (`credence maintain` with CREDENCE_SMTP_URL) to a local SMTP sink this test
// starts, the contact listed with its delivery, then removed: later notices are not e-mailed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeResidentId } from '../src/domain/identifiers.ts';
import { runCli } from './helpers/cli.ts';

const carol = makeResidentId('371082', '19920505', '047');
const received: { to: string[]; raw: string }[] = [];
const sink = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onData(stream, session, cb) {
    let raw = '';
    stream.setEncoding('utf8');
    stream.on('data', (c: string) => (raw += c));
    stream.on('end', () => {
      received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
      cb();
    });
  },
  logger: false,
});
let dir: string;
let db: string;
let smtpUrl: string;
let n = 0;
const run = (args: string[]) => runCli(args, { cwd: dir, env: { CREDENCE_DB: db, CREDENCE_READ_REASON: undefined, CREDENCE_SMTP_URL: smtpUrl, CREDENCE_SMTP_FROM: 'Bureau <notices@bureau.example>' } });
const theft = async () => {
  const file = path.join(dir, `r${++n}.ndjson`);
  writeFileSync(file, JSON.stringify({ source: 'utilities-bureau', sourceRecordId: `u-${n}`, subject: carol, type: 'utilities.theft', occurredAt: new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10), payload: { utility: 'gas' } }) + '\n');
  expect((await run(['ingest', file])).code).toBe(0);
};

beforeAll(async () => {
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(sink.server.address() as AddressInfo).port}`;
  dir = mkdtempSync(path.join(os.tmpdir(), 'credence-contacts-'));
  db = path.join(dir, 'contacts.db');
  expect((await run(['init'])).code).toBe(0);
  await theft();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await new Promise<void>((resolve) => sink.close(resolve));
});

describe('credence notices contacts', () => {
  it('records an address for the subject, e-mails the next notice to it, lists it and stops on removal', async () => {
    expect((await run(['notices', 'contact-add', carol, '--email', 'carol.li@example.org'])).code).toBe(2);
    const bad = await run(['notices', 'contact-add', carol, '--email', 'not an address', '--reason', 'form at the counter']);
    expect(bad.code).toBe(3);
    expect(bad.err).toContain('CONTACT_INVALID');

    const added = await run(['notices', 'contact-add', carol, '--email', 'carol.li@example.org', '--reason', 'form at the counter', '--json']);
    expect(added.code, added.err).toBe(0);
    const contact = JSON.parse(added.out) as { id: string; email: string };
    expect(contact.email).toBe('carol.li@example.org');

    await theft();
    const m = await run(['maintain', '--json']);
    expect(m.code, m.err).toBe(0);
    expect(received.filter((x) => x.to.includes('carol.li@example.org')).length).toBeGreaterThanOrEqual(1);
    expect(received.map((x) => x.raw).join('\n')).toMatch(/Utilities bureau|utilities/i);

    const listed = await run(['notices', 'contacts', carol, '--reason', 'checking her contact', '--json']);
    expect(listed.code, listed.err).toBe(0);
    expect(JSON.parse(listed.out)).toEqual([expect.objectContaining({ id: contact.id, email: 'carol.li@example.org', pending: 0, dead: 0 })]);
    expect((JSON.parse(listed.out) as { delivered: number }[])[0]!.delivered).toBeGreaterThanOrEqual(1);

    const removed = await run(['notices', 'contact-remove', carol, contact.id, '--reason', 'letter asking to stop e-mails']);
    expect(removed.code, removed.err).toBe(0);
    expect(removed.out).toContain('stopped');
    const before = received.length;
    await theft();
    expect((await run(['maintain'])).code).toBe(0);
    expect(received.length).toBe(before);
    expect((await run(['notices', 'contacts', carol, '--reason', 'checking again'])).out).toContain('no e-mail contacts');
    expect((await run(['notices', 'contact-remove', carol, contact.id, '--reason', 'again'])).code).toBe(4);
  });
});
