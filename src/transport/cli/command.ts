// The shape of one `credence` command. Each command lives in commands/<name>.ts and is
// registered, with its one-line summary, in ../../main/cli.ts. Commands write through `io` (never console directly)
// so the end-to-end tests can run them in process as well as spawned.
import type { Config } from '../../config/config.ts';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** True when stdout is a terminal (progress bars only then). */
  isTty: boolean;
}

export interface CliContext {
  io: CliIo;
  config: Config;
  /** Wall clock, injected (epoch ms). */
  now(): number;
}

export interface CliCommand {
  name: string;
  /** Full help text printed by `--help` (usage line, options, exit codes). */
  help: string;
  /** Returns the process exit code (see docs/codes.md, "Exit codes"). */
  run(argv: string[], ctx: CliContext): Promise<number>;
}

/** Exit codes, documented in docs/codes.md. */
export const EXIT = {
  OK: 0,
  /** The command ran, but the answer is negative (invalid identifier, deny, broken chain). */
  NEGATIVE: 1,
  /** Wrong usage: unknown command or option, missing argument. */
  USAGE: 2,
  /** Bad input data: a file, record, catalogue or scheme failed validation. */
  DATA: 3,
  /** Not found: subject, measure, list or scheme. */
  NOT_FOUND: 4,
  /** Store unavailable or internal failure. */
  INTERNAL: 70,
  /** Stopped by Ctrl-C (SIGINT) after committing what was read (128 + 2, the shells' convention). */
  INTERRUPTED: 130,
} as const;
