// Composition root of the `credence` command: global options, the command registry, help.
import { loadConfig, ConfigError } from '../config/config.ts';
import { EXIT, type CliCommand, type CliContext, type CliIo } from '../transport/cli/command.ts';

/** A command as the registry knows it: its name and summary, and how to load it. */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<CliCommand>;
}

// Each command is loaded only when it runs (or prints its help): `credence id check` does not
// load SQLite, Fastify or the scoring engine. The summary lives here, where `credence --help`
// reads it without loading any command.
export const COMMANDS: CommandEntry[] = [
  { name: 'init', summary: 'create the database, load the catalogue and schemes', load: async () => (await import('../transport/cli/commands/init.ts')).initCommand },
  { name: 'ingest', summary: 'ingest records from an NDJSON or CSV file', load: async () => (await import('../transport/cli/commands/ingest.ts')).ingestCommand },
  { name: 'subject', summary: 'show, explain or trace one subject', load: async () => (await import('../transport/cli/commands/subject.ts')).subjectCommand },
  { name: 'decide', summary: 'may a subject use a service? allow / deny / allow with conditions', load: async () => (await import('../transport/cli/commands/decide.ts')).decideCommand },
  { name: 'lists', summary: 'show the entries of a list (blacklist or red list)', load: async () => (await import('../transport/cli/commands/lists.ts')).listsCommand },
  { name: 'rescore', summary: 'rebuild scores from the records; preview a draft scheme', load: async () => (await import('../transport/cli/commands/rescore.ts')).rescoreCommand },
  { name: 'simulate', summary: 'write a synthetic town of records (NDJSON)', load: async () => (await import('../transport/cli/commands/simulate.ts')).simulateCommand },
  { name: 'cases', summary: 'disputes and the review queue: list, show, dispute for a subject, decide, withdraw', load: async () => (await import('../transport/cli/commands/cases.ts')).casesCommand },
  { name: 'consents', summary: 'a subject\'s consents to look-ups and to publication on a red list: list, issue, revoke, publish, unpublish', load: async () => (await import('../transport/cli/commands/consents.ts')).consentsCommand },
  { name: 'notices', summary: 'a subject\'s notices (adverse changes and outcomes, with reasons, basis, rights, deadlines) and e-mail contacts', load: async () => (await import('../transport/cli/commands/notices.ts')).noticesCommand },
  { name: 'webhooks', summary: 'endpoints notices are delivered to: add, list, disable, deliveries, replay, deliver', load: async () => (await import('../transport/cli/commands/notices.ts')).webhooksCommand },
  { name: 'maintain', summary: 'close lapsed and corrected disputes and tell people; notice listings about to end; delete what is past retention (cron)', load: async () => (await import('../transport/cli/commands/maintain.ts')).maintainCommand },
  { name: 'export', summary: 'everything held about one subject, as JSON', load: async () => (await import('../transport/cli/commands/export.ts')).exportCommand },
  { name: 'stats', summary: 'subjects, records and grade distribution per scheme', load: async () => (await import('../transport/cli/commands/stats.ts')).statsCommand },
  { name: 'report', summary: 'the transparency report of a period: grades, sanctions, decisions, disputes, sources (text, JSON, HTML)', load: async () => (await import('../transport/cli/commands/report.ts')).reportCommand },
  { name: 'audit', summary: 'verify the tamper-evident audit log; signed tree heads, inclusion and consistency proofs', load: async () => (await import('../transport/cli/commands/audit.ts')).auditCommand },
  { name: 'catalogue', summary: 'check a catalogue directory (and its schemes) without a database', load: async () => (await import('../transport/cli/commands/catalogue.ts')).catalogueCommand },
  { name: 'scheme', summary: 'check a scheme file against the catalogue', load: async () => (await import('../transport/cli/commands/catalogue.ts')).schemeCommand },
  { name: 'id', summary: 'validate resident ids, credit codes and external ids', load: async () => (await import('../transport/cli/commands/id.ts')).idCommand },
  { name: 'demo', summary: 'init + simulate a town of 10,000 + distribution + one explanation', load: async () => (await import('../transport/cli/commands/demo.ts')).demoCommand },
  { name: 'serve', summary: 'run the HTTP API (creates and seeds the database on first start)', load: async () => (await import('../transport/cli/commands/serve.ts')).serveCommand },
  { name: 'keys', summary: 'create, list or revoke API keys of the HTTP API', load: async () => (await import('../transport/cli/commands/keys.ts')).keysCommand },
  { name: 'worker', summary: 'apply records from the JetStream ingest partitions (CREDENCE_NATS_URL)', load: async () => (await import('../transport/cli/commands/worker.ts')).workerCommand },
];

function usage(commands: CommandEntry[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `usage: credence [--db PATH] [--profile default|eu] [--log-key FILE] COMMAND [ARGS] [--help]

Credence: open, transparent trust-and-credit scoring with due process.

commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

global options:
  --db PATH         SQLite database (default ./data/credence.db, or CREDENCE_DB)
  --profile NAME    deployment profile: default, or eu (refuses cross-context measures)
  --log-key FILE    key that signs the audit log's tree heads (default <db>.log-key.pem,
                    or CREDENCE_LOG_KEY_FILE)

environment: CREDENCE_DB, CREDENCE_DATABASE_URL (PostgreSQL), CREDENCE_PROFILE,
CREDENCE_CATALOGUE_DIR, CREDENCE_LEGACY_CODES, CREDENCE_LOG_KEY_FILE; for the server and
workers also PORT, HOST, CREDENCE_INGEST_MODE (direct|nats), CREDENCE_NATS_URL, CREDENCE_NATS_STREAM,
CREDENCE_PARTITIONS, CREDENCE_IDEMPOTENCY_STALE_MS; for notice e-mails CREDENCE_SMTP_URL
(smtp://[user:password@]host[:port]) and CREDENCE_SMTP_FROM. Exit codes: docs/codes.md.
'credence COMMAND --help' describes one command.`;
}

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  isTty: !!process.stderr.isTTY && !process.env.CI,
};

export async function main(argv: string[], io: CliIo = defaultIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const rest: string[] = [];
  const flags: { db?: string; profile?: string; logKey?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const m = /^--(db|profile|log-key)(?:=(.*))?$/.exec(a);
    if (m) {
      const value = m[2] ?? argv[++i];
      if (value === undefined) {
        io.err(`usage error: --${m[1]} needs a value`);
        return EXIT.USAGE;
      }
      flags[m[1] === 'log-key' ? 'logKey' : (m[1] as 'db' | 'profile')] = value;
    } else rest.push(a);
  }
  const [name, ...args] = rest;
  const commands = COMMANDS;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const target = name === 'help' ? commands.find((c) => c.name === args[0]) : undefined;
    io.out(target ? (await target.load()).help : usage(commands));
    return EXIT.OK;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.err(`usage error: unknown command "${name}"\n\n${usage(commands)}`);
    return EXIT.USAGE;
  }
  const command = await entry.load();
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
  const offset = config.clockOffsetMs;
  const ctx: CliContext = { io, config, now: offset === 0 ? () => Date.now() : () => Date.now() + offset };
  // A moved clock is said every time, on stderr, so that no output made under it passes for real.
  if (config.clock !== null) io.err(`clock: CREDENCE_CLOCK=${config.clock}, now is ${new Date(ctx.now()).toISOString()}`);
  try {
    return await command.run(args, ctx);
  } catch (err) {
    io.err(`internal error: ${(err as Error).stack ?? err}`);
    return EXIT.INTERNAL;
  }
}
