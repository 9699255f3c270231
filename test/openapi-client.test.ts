// The contract from the consumer's side: a TypeScript client is generated from the document the
// server serves (openapi-typescript, used through openapi-fetch as an integrator would), compiled
// against the server's own TypeBox schemas (each wire type must convert to the other without a
// cast, and a request the document forbids must not compile), then run against the server.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bob, httpFixture, json } from './helpers/http.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
// Under the repository's node_modules, so that the client resolves openapi-fetch and TypeBox as a consumer's would.
const DIR = path.join(ROOT, 'node_modules', '.cache', `credence-client-${process.pid}`);

const CLIENT = (root: string) => `// Written by test/openapi-client.test.ts: an integrator's client, typed by the generated document.
import createClient from 'openapi-fetch';
import type { Static } from '@sinclair/typebox';
import type { components, paths } from './api.ts';
import type { DecisionBatchOut, DecisionOut } from '${root}/src/transport/http/schemas/decisions.ts';
import type { ProblemSchema } from '${root}/src/transport/http/openapi.ts';

type DecisionWire = paths['/v1/decisions']['post']['responses'][200]['content']['application/json'];
type BatchWire = paths['/v1/decisions/batch']['post']['responses'][200]['content']['application/json'];
type ProblemWire = components['schemas']['Problem'];

// The client's types are the server's: each converts to the other without a cast.
export const sameTypes = [
  (x: Static<typeof DecisionOut>): DecisionWire => x,
  (x: DecisionWire): Static<typeof DecisionOut> => x,
  (x: Static<typeof DecisionBatchOut>): BatchWire => x,
  (x: BatchWire): Static<typeof DecisionBatchOut> => x,
  (x: Static<typeof ProblemSchema>): ProblemWire => x,
  (x: ProblemWire): Static<typeof ProblemSchema> => x,
];

export async function session(baseUrl: string, key: string, subject: string) {
  const api = createClient<paths>({ baseUrl });
  const auth = { authorization: \`Bearer \${key}\` };
  const measures = await api.GET('/v1/catalogue/measures');
  const decision = await api.POST('/v1/decisions', { body: { subject, measure: 'defaulter.no_g_train', purpose: 'ticket-sale' }, headers: auth });
  const outcome: 'allow' | 'deny' | 'allow_with_conditions' | undefined = decision.data?.outcome;
  const batch = await api.POST('/v1/decisions/batch', { body: { subjects: [subject, '12345'], measure: 'defaulter.no_g_train', purpose: 'ticket-sale' }, headers: auth });
  const refused = await api.POST('/v1/decisions', { body: { subject, measure: 'defaulter.no_g_train', purpose: 'ticket-sale' } });
  const code: string | undefined = refused.error?.code;
  if (Math.random() > 2) {
    // @ts-expect-error the document makes purpose required: a client without it does not compile
    await api.POST('/v1/decisions', { body: { subject, measure: 'defaulter.no_g_train' }, headers: auth });
  }
  return { measures: measures.data?.items ?? [], outcome, reasons: decision.data?.reasons.map((r) => r.code) ?? [], batch: batch.data, refused: { status: refused.response.status, code } };
}
`;

let f: Awaited<ReturnType<typeof httpFixture>>;
let baseUrl: string;
beforeAll(async () => {
  f = await httpFixture();
  baseUrl = await f.app.listen({ host: '127.0.0.1', port: 0 });
  fs.rmSync(DIR, { recursive: true, force: true });
  fs.mkdirSync(DIR, { recursive: true });
});
afterAll(async () => {
  await f.close();
  fs.rmSync(DIR, { recursive: true, force: true });
});

describe('a client generated from the OpenAPI document', () => {
  it('compiles against the server\'s own schemas, and refuses a request the document forbids', async () => {
    const doc = json(await f.call('GET', '/v1/openapi.json'));
    fs.writeFileSync(path.join(DIR, 'api.ts'), astToString(await openapiTS(doc as never)));
    fs.writeFileSync(path.join(DIR, 'client.ts'), CLIENT(ROOT));
    fs.writeFileSync(path.join(DIR, 'tsconfig.json'), JSON.stringify({ extends: path.join(ROOT, 'tsconfig.json'), include: ['client.ts'] }));
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const out = await run(process.execPath, [tsc, '--noEmit', '-p', path.join(DIR, 'tsconfig.json')], { cwd: DIR }).catch((err: { stdout?: string }) => ({ stdout: `tsc failed:\n${err.stdout ?? ''}` }));
    expect(out.stdout).toBe('');
  }, 120_000);

  it('talks to the server as typed: public catalogue, a decision, a batch with one bad identifier, a refusal', async () => {
    const client = (await import(path.join(DIR, 'client.ts'))) as { session: (b: string, k: string, s: string) => Promise<Record<string, any>> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    const r = await client.session(baseUrl, f.keys.railway, bob);
    expect(r.measures.map((m: { id: string }) => m.id)).toContain('defaulter.no_g_train');
    // bob is on the court's defaulter list (the fixture): no G train.
    expect(r.outcome).toBe('deny');
    expect(r.reasons).toContain('LIST_ENTRY');
    expect(r.batch.items.map((i: { subject: string; outcome: string }) => [i.subject, i.outcome])).toEqual([[bob, 'deny']]);
    expect(r.batch.errors).toEqual([expect.objectContaining({ index: 1, subject: '12345', code: 'SUBJECT_ID_INVALID' })]);
    expect(r.refused).toEqual({ status: 401, code: 'AUTH_MISSING' });
  });
});
