// `credence id check`, run in process with a fake CliIo: output lines, JSON shape, exit codes.
// Why: scripts depend on the exact line starts ("VALUE valid" / "VALUE invalid:") and codes.
import { describe, it, expect } from 'vitest';
import { idCommand } from '../src/transport/cli/commands/id.ts';
import { EXIT, type CliContext } from '../src/transport/cli/command.ts';
import { loadConfig } from '../src/config/config.ts';

const LEGACY = '91350203M0001QAY9B';

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CliContext = {
    io: { out: (l) => out.push(l), err: (l) => err.push(l), isTty: false },
    config: loadConfig(env),
    now: () => 0,
  };
  const code = await idCommand.run(argv, ctx);
  return { code, out, err };
}

describe('credence id check', () => {
  it('prints one line per valid value and exits 0', async () => {
    const r = await run(['check', '11010519491231002X', '91110108MA0000015T', 'eu-vat:DE123456789']);
    expect(r.code).toBe(EXIT.OK);
    expect(r.out).toEqual([
      '11010519491231002X valid (cn-rid, person)',
      '91110108MA0000015T valid (cn-uscc, organisation)',
      'eu-vat:DE123456789 valid (external)',
    ]);
    expect(r.err).toEqual([]);
  });

  it('reports invalid values with the reason and exits 1', async () => {
    const r = await run(['check', '110105194912310023', '91110108MA0000015T', 'nope']);
    expect(r.code).toBe(EXIT.NEGATIVE);
    expect(r.out[0]).toBe('110105194912310023 invalid: check character: expected "X", got "3"');
    expect(r.out[1]).toMatch(/^91110108MA0000015T valid/);
    expect(r.out[2]).toMatch(/^nope invalid: format: neither/);
  });

  it('admits legacy codes from --legacy and from the config', async () => {
    expect((await run(['check', LEGACY])).code).toBe(EXIT.NEGATIVE);
    const byFlag = await run(['check', LEGACY, '--legacy', LEGACY.toLowerCase()]);
    expect(byFlag.code).toBe(EXIT.OK);
    expect(byFlag.out).toEqual([`${LEGACY} valid (cn-uscc, organisation) (legacy code, admitted by allowlist)`]);
    const byEnv = await run(['check', LEGACY], { CREDENCE_LEGACY_CODES: `X, ${LEGACY}` });
    expect(byEnv.code).toBe(EXIT.OK);
  });

  it('prints one JSON document with --json', async () => {
    const r = await run(['check', '--json', '11010519491231002x', '91110108MA0000015U']);
    expect(r.code).toBe(EXIT.NEGATIVE);
    expect(r.out).toHaveLength(1);
    expect(JSON.parse(r.out[0])).toEqual({
      results: [
        { value: '11010519491231002x', valid: true, scheme: 'cn-rid', kind: 'person', canonical: '11010519491231002X' },
        {
          value: '91110108MA0000015U', valid: false, scheme: 'cn-uscc', kind: 'organisation',
          reason: 'check character: expected "T", got "U"', part: 'check',
        },
      ],
      allValid: false,
    });
    const ok = await run(['check', '--json', LEGACY, '--legacy', LEGACY]);
    expect(JSON.parse(ok.out[0])).toMatchObject({ allValid: true, results: [{ valid: true, legacy: true }] });
    expect(ok.code).toBe(EXIT.OK);
  });

  it.each([
    [[] as string[], 'missing "check"'],
    [['check'], 'no values'],
    [['verify', '11010519491231002X'], 'unknown subcommand'],
    [['check', '--bogus', '11010519491231002X'], 'bogus'],
    [['check', '--legacy'], 'legacy'],
  ])('exits 2 with usage on stderr for %j', async (argv, msg) => {
    const r = await run(argv);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.out).toEqual([]);
    expect(r.err.join('\n')).toContain(msg);
    expect(r.err.join('\n')).toContain('usage: credence id check VALUE...');
  });

  it('has help text with usage, options and exit codes', async () => {
    expect(idCommand.help).toMatch(/usage: credence id check/);
    expect(idCommand.help).toMatch(/--json/);
    expect(idCommand.help).toMatch(/Exit codes/);
    const r = await run(['--help']);
    expect(r.code).toBe(EXIT.OK);
    expect(r.out[0]).toBe(idCommand.help);
  });
});
