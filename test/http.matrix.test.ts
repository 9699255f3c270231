// Who may do what: every principal (none, each role, other objects) against every route.
// Unexpected access is refused: 401 without a key, 403 for a wrong role, scope or object.
// The table must cover every route of the OpenAPI document (so a new route needs a row),
// and the document must be OpenAPI 3 listing every route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bob, daysAgo, httpFixture, json, type KeyName } from './helpers/http.ts';

let f: Awaited<ReturnType<typeof httpFixture>>;
beforeAll(async () => {
  f = await httpFixture();
  await f.credence.ingest([{ source: 'tax-bureau', sourceRecordId: 'm-1', subject: bob, type: 'tax.arrears', occurredAt: daysAgo(2), payload: { amount: 10, months: 1 } }], 'test');
  // An audit entry about bob, whose inclusion proof only bob's token (of the subjects) may read.
  const [aboutBob] = await f.store.appendAudit([{ at: Date.now(), actor: 'test', action: 'subject.read', subject: bob, detail: { route: 'matrix' } }]);
  expect(aboutBob!.seq).toBe(BOB_ENTRY);
});
const BOB_ENTRY = 4;
afterAll(async () => f.close());

type Principal = 'none' | KeyName;
const ROLE_OF: Record<Principal, string> = { none: 'none', operator: 'operator', auditor: 'auditor', source: 'source', court: 'source', railway: 'provider', bank: 'provider', alice: 'subject', bob: 'subject' };
const PRINCIPALS = Object.keys(ROLE_OF) as Principal[];

interface Row {
  method: string;
  url: string;
  /** OpenAPI path template. */
  path: string;
  roles: 'public' | string[];
  /** Principals whose role is allowed but who must be refused for this object (403). */
  objectDenied?: Principal[];
  body?: () => unknown;
  headers?: () => Record<string, string>;
  contentType?: string;
  raw?: string;
}

let n = 0;
const record = () => ({ source: 'tax-bureau', sourceRecordId: `mx-${++n}`, subject: bob, type: 'tax.arrears', occurredAt: daysAgo(1), payload: { amount: 1, months: 1 } });
const idem = () => ({ 'idempotency-key': `mx-${++n}` });
const subjectRoles = ['operator', 'subject'];

const ROWS: Row[] = [
  { method: 'GET', url: '/healthz', path: '/healthz', roles: 'public' },
  { method: 'GET', url: '/readyz', path: '/readyz', roles: 'public' },
  { method: 'GET', url: '/metrics', path: '/metrics', roles: 'public' },
  { method: 'GET', url: '/v1/openapi.json', path: '/v1/openapi.json', roles: 'public' },
  { method: 'GET', url: '/v1/catalogue/record-types', path: '/v1/catalogue/record-types', roles: 'public' },
  { method: 'GET', url: '/v1/catalogue/sources', path: '/v1/catalogue/sources', roles: 'public' },
  { method: 'GET', url: '/v1/catalogue/lists', path: '/v1/catalogue/lists', roles: 'public' },
  { method: 'GET', url: '/v1/catalogue/measures', path: '/v1/catalogue/measures', roles: 'public' },
  { method: 'GET', url: '/v1/catalogue/schemes', path: '/v1/catalogue/schemes', roles: 'public' },
  { method: 'GET', url: '/v1/catalogue/purposes', path: '/v1/catalogue/purposes', roles: 'public' },
  { method: 'GET', url: '/v1/catalogue/legal-bases', path: '/v1/catalogue/legal-bases', roles: 'public' },
  { method: 'GET', url: '/v1/lists/judgment-defaulters/entries', path: '/v1/lists/{list}/entries', roles: 'public' },
  { method: 'GET', url: '/v1/lists/dishonest-persons/entries', path: '/v1/lists/{list}/entries', roles: ['operator', 'auditor'] },
  { method: 'GET', url: '/v1/schemes', path: '/v1/schemes', roles: 'public' },
  { method: 'GET', url: '/v1/schemes/rongcheng/versions/1', path: '/v1/schemes/{id}/versions/{version}', roles: 'public' },
  { method: 'POST', url: '/v1/records', path: '/v1/records', roles: ['source'], objectDenied: ['court'], body: record },
  { method: 'POST', url: '/v1/records/batch', path: '/v1/records/batch', roles: ['source'], body: () => [record()], headers: idem },
  { method: 'GET', url: '/v1/records/tax-bureau/m-1', path: '/v1/records/{source}/{sourceRecordId}', roles: ['source', 'operator'], objectDenied: ['court'] },
  ...['', '/scores', '/records', '/history', '/explanation', '/improvement', '/lists', '/measures'].map((p): Row => ({ method: 'GET', url: `/v1/subjects/${bob}${p}`, path: `/v1/subjects/{id}${p}`, roles: subjectRoles, objectDenied: ['alice'] })),
  { method: 'GET', url: `/v1/subjects/${bob}/queries`, path: '/v1/subjects/{id}/queries', roles: ['operator', 'subject', 'auditor'], objectDenied: ['alice'] },
  { method: 'POST', url: '/v1/decisions', path: '/v1/decisions', roles: ['provider'], objectDenied: ['bank'], body: () => ({ subject: bob, measure: 'defaulter.no_g_train', purpose: 'boarding' }) },
  { method: 'POST', url: '/v1/decisions/batch', path: '/v1/decisions/batch', roles: ['provider'], objectDenied: ['bank'], body: () => ({ subjects: [bob], measure: 'defaulter.no_g_train', purpose: 'boarding' }) },
  { method: 'POST', url: '/v1/keys', path: '/v1/keys', roles: ['operator'], body: () => ({ role: 'auditor', name: 'matrix' }) },
  { method: 'GET', url: '/v1/keys', path: '/v1/keys', roles: ['operator'] },
  { method: 'DELETE', url: '/v1/keys/key_doesnotexist', path: '/v1/keys/{id}', roles: ['operator'] },
  { method: 'POST', url: '/v1/keys/key_doesnotexist/rotate', path: '/v1/keys/{id}/rotate', roles: ['operator'], body: () => ({}) },
  { method: 'PUT', url: '/v1/providers/matrix', path: '/v1/providers/{id}', roles: ['operator'], body: () => ({ name: 'M', measures: [], purposes: [] }) },
  { method: 'POST', url: '/v1/lists/judgment-defaulters/entries', path: '/v1/lists/{list}/entries', roles: ['operator'], body: () => ({ subject: 'bad', source: 'rongcheng-court', reason: 'matrix test', payload: {} }) },
  { method: 'DELETE', url: '/v1/lists/judgment-defaulters/entries/rongcheng-court/none', path: '/v1/lists/{list}/entries/{source}/{sourceRecordId}', roles: ['operator'], body: () => ({ reason: 'matrix test' }) },
  { method: 'GET', url: '/v1/providers', path: '/v1/providers', roles: ['operator', 'auditor'] },
  { method: 'POST', url: '/v1/schemes', path: '/v1/schemes', roles: ['operator'], raw: 'id: x\n', contentType: 'application/yaml' },
  { method: 'POST', url: '/v1/schemes/rongcheng/versions/99/preview', path: '/v1/schemes/{id}/versions/{version}/preview', roles: ['operator'] },
  { method: 'POST', url: '/v1/schemes/rongcheng/versions/99/publish', path: '/v1/schemes/{id}/versions/{version}/publish', roles: ['operator'] },
  { method: 'GET', url: '/v1/audit', path: '/v1/audit', roles: ['auditor'] },
  { method: 'GET', url: '/v1/audit/head', path: '/v1/audit/head', roles: 'public' },
  { method: 'GET', url: '/v1/audit/key', path: '/v1/audit/key', roles: 'public' },
  { method: 'GET', url: '/v1/reports/transparency', path: '/v1/reports/transparency', roles: 'public' },
  { method: 'GET', url: '/v1/audit/consistency?from=1', path: '/v1/audit/consistency', roles: 'public' },
  { method: 'GET', url: `/v1/audit/entries/${BOB_ENTRY}/proof`, path: '/v1/audit/entries/{seq}/proof', roles: ['operator', 'auditor', 'subject'], objectDenied: ['alice'] },
  { method: 'GET', url: '/v1/audit/verify', path: '/v1/audit/verify', roles: ['auditor'] },
  { method: 'POST', url: '/v1/audit/decisions/1/replay', path: '/v1/audit/decisions/{seq}/replay', roles: ['auditor', 'operator'] },
  { method: 'POST', url: `/v1/subjects/${bob}/disputes`, path: '/v1/subjects/{id}/disputes', roles: ['subject', 'operator'], objectDenied: ['alice'], body: () => ({ record: 'tax-bureau/m-1', statement: 'matrix test: this is not my debt', onBehalfReason: 'matrix test' }) },
  { method: 'GET', url: `/v1/subjects/${bob}/disputes`, path: '/v1/subjects/{id}/disputes', roles: ['subject', 'operator', 'auditor'], objectDenied: ['alice'] },
  { method: 'POST', url: `/v1/subjects/${bob}/restorations`, path: '/v1/subjects/{id}/restorations', roles: ['subject', 'operator'], objectDenied: ['alice'], body: () => ({ record: 'rongcheng-court/c-1', statement: 'matrix test: the judgment debt is paid', evidence: ['receipt 1'], onBehalfReason: 'matrix test' }) },
  { method: 'POST', url: `/v1/subjects/${bob}/consents`, path: '/v1/subjects/{id}/consents', roles: ['subject', 'operator'], objectDenied: ['alice'], body: () => ({ provider: 'bank', purpose: 'credit-application', measure: 'defaulter.restricted_loans_cards', onBehalfReason: 'matrix test' }) },
  { method: 'GET', url: `/v1/subjects/${bob}/consents`, path: '/v1/subjects/{id}/consents', roles: ['subject', 'operator', 'auditor'], objectDenied: ['alice'] },
  { method: 'DELETE', url: `/v1/subjects/${bob}/consents/cns_doesnotexist0000`, path: '/v1/subjects/{id}/consents/{consent}', roles: ['subject', 'operator'], objectDenied: ['alice'], body: () => ({ onBehalfReason: 'matrix test' }) },
  { method: 'PUT', url: `/v1/subjects/${bob}/publication/honesty-models`, path: '/v1/subjects/{id}/publication/{list}', roles: ['subject', 'operator'], objectDenied: ['alice'], body: () => ({ onBehalfReason: 'matrix test' }) },
  { method: 'DELETE', url: `/v1/subjects/${bob}/publication/honesty-models`, path: '/v1/subjects/{id}/publication/{list}', roles: ['subject', 'operator'], objectDenied: ['alice'], body: () => ({ onBehalfReason: 'matrix test' }) },
  { method: 'GET', url: `/v1/subjects/${bob}/publication`, path: '/v1/subjects/{id}/publication', roles: ['subject', 'operator', 'auditor'], objectDenied: ['alice'] },
  { method: 'GET', url: '/v1/cases', path: '/v1/cases', roles: ['operator', 'auditor'] },
  { method: 'GET', url: '/v1/cases/none', path: '/v1/cases/{caseId}', roles: ['operator', 'auditor', 'subject', 'source'] },
  { method: 'POST', url: '/v1/cases/none/response', path: '/v1/cases/{caseId}/response', roles: ['source'], body: () => ({ action: 'confirm', reason: 'matrix test reason', evidence: ['doc-1'] }) },
  { method: 'POST', url: '/v1/cases/none/assign', path: '/v1/cases/{caseId}/assign', roles: ['operator'], body: () => ({ assignee: 'reviewer-1' }) },
  { method: 'POST', url: '/v1/cases/none/decision', path: '/v1/cases/{caseId}/decision', roles: ['operator'], body: () => ({ outcome: 'rejected', reason: 'matrix test reason' }) },
  { method: 'GET', url: `/v1/subjects/${bob}/notices`, path: '/v1/subjects/{id}/notices', roles: ['subject', 'operator', 'auditor'], objectDenied: ['alice'] },
  { method: 'POST', url: `/v1/subjects/${bob}/notices/ntc_doesnotexist/read`, path: '/v1/subjects/{id}/notices/{notice}/read', roles: ['subject'], objectDenied: ['alice'] },
  { method: 'GET', url: '/v1/providers/railway/notices', path: '/v1/providers/{provider}/notices', roles: ['provider', 'operator', 'auditor'], objectDenied: ['bank'] },
  { method: 'GET', url: '/v1/sources/tax-bureau/notices', path: '/v1/sources/{source}/notices', roles: ['source', 'operator', 'auditor'], objectDenied: ['court'] },
  { method: 'POST', url: `/v1/subjects/${bob}/contacts`, path: '/v1/subjects/{id}/contacts', roles: ['subject', 'operator'], objectDenied: ['alice'], body: () => ({ email: 'bob@example.org', onBehalfReason: 'matrix test' }) },
  { method: 'GET', url: `/v1/subjects/${bob}/contacts`, path: '/v1/subjects/{id}/contacts', roles: ['subject', 'operator'], objectDenied: ['alice'] },
  { method: 'DELETE', url: `/v1/subjects/${bob}/contacts/wh_doesnotexist`, path: '/v1/subjects/{id}/contacts/{contact}', roles: ['subject', 'operator'], objectDenied: ['alice'], body: () => ({ onBehalfReason: 'matrix test' }) },
  { method: 'POST', url: '/v1/webhooks', path: '/v1/webhooks', roles: ['operator', 'provider', 'source'], body: () => ({ url: 'https://hooks.example/matrix', kinds: ['dispute.outcome'] }) },
  { method: 'GET', url: '/v1/webhooks', path: '/v1/webhooks', roles: ['operator', 'auditor', 'provider', 'source'] },
  { method: 'GET', url: '/v1/webhooks/wh_doesnotexist', path: '/v1/webhooks/{id}', roles: ['operator', 'auditor', 'provider', 'source'] },
  { method: 'DELETE', url: '/v1/webhooks/wh_doesnotexist', path: '/v1/webhooks/{id}', roles: ['operator', 'provider', 'source'] },
  { method: 'GET', url: '/v1/webhooks/wh_doesnotexist/deliveries', path: '/v1/webhooks/{id}/deliveries', roles: ['operator', 'auditor', 'provider', 'source'] },
  { method: 'POST', url: '/v1/webhooks/wh_doesnotexist/replay', path: '/v1/webhooks/{id}/replay', roles: ['operator', 'provider', 'source'], body: () => ({}) },
  { method: 'POST', url: '/v1/records/tax-bureau/none/withdrawal', path: '/v1/records/{source}/{sourceRecordId}/withdrawal', roles: ['source'], objectDenied: ['court'], body: () => ({ reason: 'matrix test reason' }) },
];

describe('role x route x object matrix', () => {
  for (const row of ROWS) {
    it(`${row.method} ${row.url}`, async () => {
      const failures: string[] = [];
      for (const p of PRINCIPALS) {
        const r = await f.call(row.method, row.url, {
          key: p === 'none' ? undefined : p,
          body: row.body?.(),
          raw: row.raw,
          contentType: row.contentType,
          headers: row.headers?.(),
        });
        const roleOk = row.roles === 'public' || row.roles.includes(ROLE_OF[p]);
        const expected = !roleOk ? (p === 'none' ? 401 : 403) : row.objectDenied?.includes(p) ? 403 : 'allowed';
        const got = r.statusCode;
        const ok = expected === 'allowed' ? got !== 401 && got !== 403 && got < 500 : got === expected;
        if (!ok) failures.push(`${p}: expected ${expected}, got ${got} ${r.body.slice(0, 160)}`);
        if (got >= 400) expect(r.headers['content-type'], `${p} ${row.url}`).toContain('application/problem+json');
      }
      expect(failures).toEqual([]);
    });
  }
});

describe('OpenAPI document', () => {
  it('is OpenAPI 3, parses, and lists exactly the routes of the matrix', async () => {
    const r = await f.call('GET', '/docs/json');
    expect(r.statusCode).toBe(200);
    const doc = json(r);
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.description).toMatch(/24 hours/);
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) for (const m of Object.keys(ops)) documented.add(`${m.toUpperCase()} ${path}`);
    const inMatrix = new Set(ROWS.map((row) => `${row.method} ${row.path}`));
    expect([...inMatrix].filter((x) => !documented.has(x))).toEqual([]);
    expect([...documented].filter((x) => !inMatrix.has(x))).toEqual([]);
    expect((await f.call('GET', '/docs')).statusCode).toBeLessThan(400);
  });
});

describe('problem codes', () => {
  it('documents every HTTP problem code in docs/codes.md', async () => {
    const { readFileSync } = await import('node:fs');
    const { PROBLEM_STATUS } = await import('../src/transport/http/problem.ts');
    const doc = readFileSync(new URL('../docs/codes.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## HTTP problems'));
    expect(section.length).toBeGreaterThan(100);
    const missing = Object.entries(PROBLEM_STATUS).filter(([code, status]) => !section.includes(`| \`${code}\` | ${status} |`));
    expect(missing).toEqual([]);
  });

  it('refuses HEAD like GET (no key: 401)', async () => {
    const r = await f.app.inject({ method: 'HEAD', url: `/v1/subjects/${bob}/records` });
    expect(r.statusCode).toBe(401);
  });
});
