// Composition root of the `credence` command: global options, the command registry, help.
import { loadConfig, ConfigError } from '../config/config.ts';
import { EXIT, type CliCommand, type CliContext, type CliIo } from '../transport/cli/command.ts';
import { auditCommand } from '../transport/cli/commands/audit.ts';
import { decideCommand } from '../transport/cli/commands/decide.ts';
import { demoCommand } from '../transport/cli/commands/demo.ts';
import { exportCommand } from '../transport/cli/commands/export.ts';
import { idCommand } from '../transport/cli/commands/id.ts';
import { ingestCommand } from '../transport/cli/commands/ingest.ts';
import { initCommand } from '../transport/cli/commands/init.ts';
import { listsCommand } from '../transport/cli/commands/lists.ts';
import { rescoreCommand } from '../transport/cli/commands/rescore.ts';
import { simulateCommand } from '../transport/cli/commands/simulate.ts';
import { statsCommand } from '../transport/cli/commands/stats.ts';
import { subjectCommand } from '../transport/cli/commands/subject.ts';

export const COMMANDS: CliCommand[] = [
  initCommand,
  ingestCommand,
  subjectCommand,
  decideCommand,
  listsCommand,
  rescoreCommand,
  simulateCommand,
  exportCommand,
  statsCommand,
  auditCommand,
  idCommand,
  demoCommand,
];

async function optionalCommands(): Promise<CliCommand[]> {
  // The server and the worker arrive with their own issues; the CLI lists them when present.
  const extra: CliCommand[] = [];
  for (const mod of ['../transport/cli/commands/serve.ts', '../transport/cli/commands/keys.ts', '../transport/cli/commands/worker.ts']) {
    try {
      const m = (await import(mod)) as Record<string, CliCommand>;
      extra.push(...Object.values(m).filter((v) => v && typeof v === 'object' && 'run' in v));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw err;
    }
  }
  return extra;
}

function usage(commands: CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `usage: credence [--db PATH] [--profile default|eu] COMMAND [ARGS] [--help]

Credence: open, transparent trust-and-credit scoring with due process.

commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

global options:
  --db PATH         SQLite database (default ./data/credence.db, or CREDENCE_DB)
  --profile NAME    deployment profile: default, or eu (refuses cross-context measures)

environment: CREDENCE_DB, CREDENCE_DATABASE_URL (PostgreSQL), CREDENCE_PROFILE,
CREDENCE_CATALOGUE_DIR, CREDENCE_LEGACY_CODES; for the server and workers also PORT, HOST,
CREDENCE_INGEST_MODE (direct|nats), CREDENCE_NATS_URL, CREDENCE_NATS_STREAM,
CREDENCE_PARTITIONS, CREDENCE_IDEMPOTENCY_STALE_MS. Exit codes: docs/codes.md.
'credence COMMAND --help' describes one command.`;
}

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  isTty: !!process.stderr.isTTY && !process.env.CI,
};

export async function main(argv: string[], io: CliIo = defaultIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const rest: string[] = [];
  const flags: { db?: string; profile?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const m = /^--(db|profile)(?:=(.*))?$/.exec(a);
    if (m) {
      const value = m[2] ?? argv[++i];
      if (value === undefined) {
        io.err(`usage error: --${m[1]} needs a value`);
        return EXIT.USAGE;
      }
      flags[m[1] as 'db' | 'profile'] = value;
    } else rest.push(a);
  }
  const commands = [...COMMANDS, ...(await optionalCommands())];
  const [name, ...args] = rest;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const target = name === 'help' ? commands.find((c) => c.name === args[0]) : undefined;
    io.out(target ? target.help : usage(commands));
    return EXIT.OK;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`usage error: unknown command "${name}"\n\n${usage(commands)}`);
    return EXIT.USAGE;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(command.help);
    return EXIT.OK;
  }
  let config;
  try {
    if (name === 'demo' && flags.db === undefined && !env.CREDENCE_DB) flags.db = 'data/demo.db';
    config = loadConfig(env, flags);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(`configuration error: ${err.message}`);
      return EXIT.USAGE;
    }
    throw err;
  }
  const ctx: CliContext = { io, config, now: () => Date.now() };
  try {
    return await command.run(args, ctx);
  } catch (err) {
    io.err(`internal error: ${(err as Error).stack ?? err}`);
    return EXIT.INTERNAL;
  }
}
