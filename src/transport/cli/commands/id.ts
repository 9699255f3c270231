// `credence id check VALUE...`: validates subject identifiers offline and says which part
// of each is wrong. Why: clerks and scripts check an id before filing a record against it,
// so a typo never creates a second subject. argv is what follows `id` on the command line.
import { parseArgs } from 'node:util';
import { classifyIdentifier } from '../../../domain/identifiers.ts';
import { EXIT, type CliCommand } from '../command.ts';

const USAGE = 'usage: credence id check VALUE... [--json] [--legacy CODE]';

const HELP = `${USAGE}

Validates resident identity numbers (GB 11643-1999), unified social credit codes
(GB 32100-2015) and external ids of the form scheme:value. Prints one line per value:
"VALUE valid (scheme, kind)" or "VALUE invalid: reason".

Options:
  --json          print one JSON document {"results":[...],"allValid":bool}
  --legacy CODE   admit this legacy credit code despite a failed checksum (repeatable;
                  added to CREDENCE_LEGACY_CODES)
  -h, --help      show this help

Exit codes:
  0  every value is valid
  1  at least one value is invalid
  2  wrong usage (no values, missing "check", unknown option)`;

interface Result {
  value: string;
  valid: boolean;
  scheme: string | null;
  kind: string | null;
  canonical?: string;
  legacy?: true;
  reason?: string;
  part?: string;
}

export const idCommand: CliCommand = {
  name: 'id',
  help: HELP,
  async run(argv, ctx) {
    const usage = (msg: string): number => {
      ctx.io.err(`credence id: ${msg}`);
      ctx.io.err(USAGE);
      return EXIT.USAGE;
    };
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        strict: true,
        options: {
          json: { type: 'boolean' },
          legacy: { type: 'string', multiple: true },
          help: { type: 'boolean', short: 'h' },
        },
      });
    } catch (e) {
      return usage((e as Error).message);
    }
    if (parsed.values.help) {
      ctx.io.out(HELP);
      return EXIT.OK;
    }
    const [sub, ...values] = parsed.positionals;
    if (sub !== 'check') return usage(sub === undefined ? 'missing "check"' : `unknown subcommand "${sub}"`);
    if (values.length === 0) return usage('no values to check');

    const legacyCodes = new Set(
      [...ctx.config.legacyCodes, ...(parsed.values.legacy ?? [])].map((c) => c.trim().toUpperCase()),
    );
    const results: Result[] = values.map((value) => {
      const { scheme, kind, verdict } = classifyIdentifier(value, { legacyCodes });
      return verdict.valid
        ? { value, valid: true, scheme, kind, canonical: verdict.canonical, ...(verdict.legacy ? { legacy: true as const } : {}) }
        : { value, valid: false, scheme, kind, reason: verdict.reason, part: verdict.part };
    });
    const allValid = results.every((r) => r.valid);

    if (parsed.values.json) {
      ctx.io.out(JSON.stringify({ results, allValid }));
    } else {
      for (const r of results) {
        if (!r.valid) {
          ctx.io.out(`${r.value} invalid: ${r.reason}`);
          continue;
        }
        const what = r.kind ? `${r.scheme}, ${r.kind}` : `${r.scheme}`;
        ctx.io.out(`${r.value} valid (${what})${r.legacy ? ' (legacy code, admitted by allowlist)' : ''}`);
      }
    }
    return allValid ? EXIT.OK : EXIT.NEGATIVE;
  },
};
