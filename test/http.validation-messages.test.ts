// A request that does not match its route schema is told, per field, what is allowed: the
// values of an enumeration (once, not once per value), the form of a date, and what was sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bob, httpFixture, json } from './helpers/http.ts';

let f: Awaited<ReturnType<typeof httpFixture>>;
beforeAll(async () => {
  f = await httpFixture({}, { dispatch: false });
});
afterAll(async () => f.close());

const problemOf = async (method: string, url: string, body?: unknown) => {
  const r = await f.call(method, url, { key: 'operator', ...(body !== undefined ? { body } : {}) });
  expect(r.statusCode, r.body).toBe(400);
  return json(r) as { code: string; detail: string; errors: { path: string; message: string }[] };
};

describe('validation messages', () => {
  it('lists the allowed values of an enumeration once, with the value sent', async () => {
    const p = await problemOf('GET', '/v1/cases?kind=bogus');
    expect(p.code).toBe('REQUEST_INVALID');
    expect(p.errors).toEqual([{ path: 'querystring/kind', message: 'must be one of "dispute", "review", "restoration", got "bogus"' }]);
    expect(p.detail).toBe('querystring/kind: must be one of "dispute", "review", "restoration", got "bogus"');
    const role = await problemOf('POST', '/v1/keys', { role: 'king', name: 'x' });
    expect(role.errors).toHaveLength(1);
    expect(role.errors[0]!.message).toMatch(/^must be one of "source", "provider", "operator", "auditor", "subject", got "king"$/);
    const kinds = await problemOf('POST', '/v1/webhooks', { url: 'https://hooks.example/x', kinds: ['record.favourable'] });
    expect(kinds.errors[0]).toMatchObject({ path: 'body/kinds/0', message: expect.stringContaining('"record.adverse"') });
  });

  it('says which forms a date takes instead of showing a regular expression', async () => {
    const p = await problemOf('GET', `/v1/subjects/${bob}/scores?asOf=yesterday`);
    expect(p.errors[0]!.path).toBe('querystring/asOf');
    expect(p.errors[0]!.message).toContain('YYYY-MM-DD');
    expect(p.errors[0]!.message).toContain('got "yesterday"');
    expect(p.detail).not.toContain('\\d');
  });

  it('keeps the messages of other checks: a missing field, an unknown field', async () => {
    const missing = await problemOf('POST', '/v1/keys', { role: 'auditor' });
    expect(missing.errors[0]).toMatchObject({ path: 'body/name' });
    const unknown = await problemOf('POST', '/v1/keys', { role: 'auditor', name: 'x', colour: 'red' });
    expect(unknown.errors[0]).toEqual({ path: 'body/colour', message: 'unknown field "colour"' });
  });
});
