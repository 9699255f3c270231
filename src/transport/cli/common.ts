// Helpers shared by the commands: opening the use cases, dates, argument parsing, output.
import { describeStore, READ_REASON_MAX } from '../../config/config.ts';
import { userInfo } from 'node:os';
import { existsSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { Credence, NotFoundError } from '../../app/credence.ts';
import { DueProcessError } from '../../app/due-process.ts';
import { parseInstant } from '../../domain/duration.ts';
import { openStore } from '../../main/open-store.ts';
import type { Store } from '../../ports/store.ts';
import { EXIT, type CliContext } from './command.ts';
import { parseSchemeChoice } from '../../domain/scheme-compile.ts';

export class UsageError extends Error {}

/** The operator at the command line, as audit entries name it. */
export const cliActor = () => `cli:${userInfo().username}`;

/**
 * Why the operator reads a subject's data: --reason, else CREDENCE_READ_REASON. A read
 * without one is refused before anything is opened: it must reach the query log.
 */
export function readReason(ctx: CliContext, flag: string | undefined, what: string): string {
  const r = flag?.trim() ? flag.trim().slice(0, READ_REASON_MAX) : ctx.config.readReason;
  if (!r) throw new UsageError(`${what} reads a subject's data: state why with --reason TEXT (or set CREDENCE_READ_REASON); the operator and the reason go to the subject's query log`);
  return r;
}

/** Logs an operator's read of one subject through the command line, before anything is shown. */
export async function logCliRead(store: Store, ctx: CliContext, subject: string, command: string, reason: string, detail: Record<string, unknown> = {}): Promise<void> {
  await logCliReads(store, ctx, [subject], command, reason, detail);
}

/** Logs a read of several subjects at once (a list, a queue): one entry in each one's query log, in one append. */
export async function logCliReads(store: Store, ctx: CliContext, subjects: readonly string[], command: string, reason: string, detail: Record<string, unknown> = {}): Promise<void> {
  const at = ctx.now();
  const actor = cliActor();
  const unique = [...new Set(subjects)];
  if (unique.length > 0) await store.appendAudit(unique.map((subject) => ({ at, actor, action: 'subject.read', subject, detail: { command, reason, ...detail } })));
}
export class DataError extends Error {}
/** The store cannot be reached or opened (exit 70, one line, no stack). */
export class StoreUnavailableError extends Error {}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Opens the configured store; an unreachable one is a one-line STORE_UNAVAILABLE (exit 70). */
export async function openStoreFor(ctx: CliContext): Promise<Store> {
  try {
    return await openStore(ctx.config);
  } catch (err) {
    throw new StoreUnavailableError(`STORE_UNAVAILABLE: cannot open ${describeStore(ctx.config)}: ${(err as Error).message.split('\n')[0]}`);
  }
}

export async function withCredence<T>(ctx: CliContext, fn: (c: Credence, store: Store) => Promise<T>): Promise<T> {
  // Only `init`, `demo` and `serve` create a database; every other command needs one, and a
  // mistyped CREDENCE_DB must not leave an empty file behind.
  if (!ctx.config.databaseUrl && ctx.config.dbPath !== ':memory:' && !existsSync(ctx.config.dbPath)) {
    throw new NotFoundError('STORE_NOT_INITIALISED', `there is no database at ${ctx.config.dbPath}: run \`credence init\` first, or point CREDENCE_DB (--db) at an existing one`);
  }
  const store = await openStoreFor(ctx);
  try {
    if ((await store.pendingMigrations()) > 0) {
      throw new NotFoundError('STORE_NOT_INITIALISED', `the database ${describeStore(ctx.config)} is not initialised: run \`credence init\``);
    }
    const c = await Credence.open(store, { now: ctx.now, legacyCodes: ctx.config.legacyCodes });
    return await fn(c, store);
  } finally {
    await store.close();
  }
}

/** `--as-of` takes a date (end of that day, UTC) or a date-time. */
export function asOf(value: string | undefined, now: number): number {
  if (value === undefined) return now;
  const t = parseInstant(value);
  if (t === null) throw new UsageError(`--as-of "${value}" is not a date (YYYY-MM-DD) or date-time`);
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? t + 86_400_000 - 1 : t;
}

/** `--scheme ID@VERSION[,ID@VERSION...]`: the scheme versions a view evaluates (default: the one in force at --as-of). */
export function schemeChoice(value: string | undefined): string[] {
  const keys = parseSchemeChoice(value);
  if (keys === null) throw new UsageError(`--scheme takes ID@VERSION (e.g. rongcheng@1), comma-separated for several; got "${value}"`);
  return keys;
}

export const day = (t: number | null | undefined) => (t === null || t === undefined || !Number.isFinite(t) ? '-' : new Date(t).toISOString().slice(0, 10));

export function json(ctx: CliContext, value: unknown): void {
  ctx.io.out(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? Number(v) : v instanceof Map ? Object.fromEntries(v) : v instanceof Set ? [...v] : v), 2));
}

/** Maps expected failures to exit codes and a one-line message; rethrows bugs. */
export async function guard(ctx: CliContext, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof UsageError) {
      ctx.io.err(`usage error: ${err.message} (see --help)`);
      return EXIT.USAGE;
    }
    if (err instanceof StoreUnavailableError) {
      ctx.io.err(err.message);
      return EXIT.INTERNAL;
    }
    if (err instanceof DataError) {
      ctx.io.err(err.message);
      return EXIT.DATA;
    }
    if (err instanceof DueProcessError) {
      ctx.io.err(`${err.code}: ${err.message}`);
      return EXIT.DATA;
    }
    if (err instanceof NotFoundError) {
      ctx.io.err(`${err.code}: ${err.message}`);
      return err.code === 'STORE_NOT_INITIALISED' || err.code === 'STORE_CATALOGUE_OUTDATED' ? EXIT.DATA : EXIT.NOT_FOUND;
    }
    throw err;
  }
}
