// `credence audit`: verifies the hash chain (and, against a saved signed tree head, that the
// log still contains that tree), signs and saves tree heads, prints inclusion and consistency
// proofs, and checks a saved inclusion proof offline, without the database.
import { readFileSync, writeFileSync } from 'node:fs';
import { AuditLog, AuditLogError, checkInclusionProof, parseInclusionProof, parseSignedHead, SavedFileError, type InclusionProof } from '../../../app/audit-log.ts';
import { ephemeralLogKey, LogKeyError, openLogKey, parsePublicKey, type LogSigner, type LogVerifier } from '../../../app/log-key.ts';
import type { AuditEntry } from '../../../domain/audit-chain.ts';
import { parseHash, verifyConsistency, verifyInclusion } from '../../../domain/merkle.ts';
import { EXIT, type CliCommand, type CliContext } from '../command.ts';
import { DataError, guard, json, parse, UsageError, withCredence } from '../common.ts';

const HELP = `usage: credence audit verify [--head FILE [--key FILE]] [--json]
       credence audit head [--out FILE]
       credence audit key [--out FILE]
       credence audit prove SEQ [--size N] [--json]
       credence audit consistency OLD NEW [--json]
       credence audit check-proof --head FILE --proof FILE [--key FILE] [--json]

The audit log is a hash chain and an RFC 9162 Merkle tree over the same entries (entry SEQ
is leaf SEQ - 1; its leaf is the canonical JSON its chain hash covers). Tree heads are
signed with the log key (Ed25519), a file kept outside the database (--log-key,
CREDENCE_LOG_KEY_FILE; default <db>.log-key.pem, created with mode 0600 on first use).

  verify         recompute every entry's hash and its link to the previous entry, and check
                 that every stored record is covered by the audit entry of the write that
                 stored it; prints the number of entries and records and the head hash, or
                 the first broken entry and why (altered, missing, out of order), or the
                 records no entry covers. With --head FILE (a signed head saved earlier):
                 also check its signature and that the log still contains its tree (the first
                 treeSize entries hash to its root, and the consistency proof from it to the
                 log verifies): entries removed, altered or renumbered since are caught even
                 when the chain hashes were recomputed. --key FILE: the public key to check
                 the signature with (default: the log key).
  head           sign the current tree head {treeSize, timestamp, rootHash}; print it as JSON,
                 or save it to --out FILE. Keep it where the database cannot reach it.
  key            print the log's public key (PEM, raw base64, key id), or save the PEM to --out.
  prove          the inclusion proof of entry SEQ in the tree of N entries (default: the whole
                 log): the entry, its leaf hash, the path, the root, and whether it verifies.
                 --json prints the proof as GET /v1/audit/entries/{seq}/proof answers it.
  consistency    the consistency proof between the trees of OLD and NEW entries, and whether
                 it verifies.
  check-proof    offline, no database: does the saved inclusion proof (--proof, from prove
                 --json or the HTTP API) show its entry in the tree of the saved signed head
                 (--head, of the same tree size)? The leaf hash is computed from the entry.
                 --key FILE: the public key (PEM, or the JSON of GET /v1/audit/key); default:
                 the log key file, if this machine has it.

exit codes: 0 intact / verified; 1 not (broken chain, uncovered records, head not contained,
bad signature, proof that does not verify); 2 usage; 3 unreadable or malformed file, or no
log key; 4 no such entry`;

const readText = (file: string, what: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new DataError(`cannot read the ${what} ${file}: ${(err as Error).message}`);
  }
};

/** The log key of the configuration (a memory database: one for this process only). */
function logKey(ctx: CliContext, create: boolean): LogSigner {
  return ctx.config.logKeyFile === null ? ephemeralLogKey() : openLogKey(ctx.config.logKeyFile, { create });
}

function publicKey(ctx: CliContext, file: string | undefined): LogVerifier {
  if (file !== undefined) return parsePublicKey(readText(file, 'public key'), file);
  if (ctx.config.logKeyFile === null) throw new UsageError('--key FILE is needed: a memory database has no lasting log key');
  return openLogKey(ctx.config.logKeyFile, { create: false });
}

function whole(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) throw new UsageError(`${name} must be a whole number of at least ${min}, got "${value}"`);
  return n;
}

export const entryDto = (e: AuditEntry) => ({ seq: e.seq, at: e.at, actor: e.actor, action: e.action, subject: e.subject ?? null, detail: e.detail, prevHash: e.prevHash, hash: e.hash });
const proofDto = (p: InclusionProof) => ({ seq: p.seq, leafIndex: p.leafIndex, treeSize: p.treeSize, leafHash: p.leafHash, rootHash: p.rootHash, inclusionPath: p.inclusionPath, entry: entryDto(p.entry) });

export const auditCommand: CliCommand = {
  name: 'audit',
  help: HELP,
  run: (argv, ctx) =>
    guard(ctx, async () => {
      const { values, positionals } = parse(argv, {
        json: { type: 'boolean' }, head: { type: 'string' }, key: { type: 'string' }, out: { type: 'string' }, size: { type: 'string' }, proof: { type: 'string' },
      });
      const [sub, ...args] = positionals;
      const only = (allowed: string[], count: number) => {
        const given = Object.keys(values).filter((k) => !allowed.includes(k));
        if (given.length > 0) throw new UsageError(`audit ${sub} takes no --${given[0]}`);
        if (args.length !== count) throw new UsageError(`audit ${sub} takes ${count === 0 ? 'no arguments' : `${count} argument(s)`}`);
      };
      try {
        switch (sub) {
          case 'verify': only(['json', 'head', 'key'], 0); return await verify(ctx, values);
          case 'head': only(['out'], 0); return await head(ctx, values.out);
          case 'key': only(['out'], 0); return key(ctx, values.out);
          case 'prove': only(['size', 'json'], 1); return await prove(ctx, whole(args[0], 'SEQ', 1)!, whole(values.size, '--size', 1), !!values.json);
          case 'consistency': only(['json'], 2); return await consistency(ctx, whole(args[0], 'OLD', 1)!, whole(args[1], 'NEW', 1)!, !!values.json);
          case 'check-proof': only(['head', 'proof', 'key', 'json'], 0); return checkProof(ctx, values);
          default: throw new UsageError('audit takes verify, head, key, prove, consistency or check-proof');
        }
      } catch (err) {
        if (err instanceof AuditLogError) {
          if (err.code === 'AUDIT_TREE_SIZE_INVALID') throw new UsageError(`${err.code}: ${err.message}`);
          ctx.io.err(`${err.code}: ${err.message}`);
          return EXIT.NOT_FOUND;
        }
        if (err instanceof LogKeyError) throw new DataError(`${err.code}: ${err.message}`);
        if (err instanceof SavedFileError) throw new DataError(err.message);
        throw err;
      }
    }),
};

async function verify(ctx: CliContext, values: { json?: boolean; head?: string; key?: string }): Promise<number> {
  if (values.key !== undefined && values.head === undefined) throw new UsageError('--key goes with --head');
  const saved = values.head === undefined ? null : parseSignedHead(readText(values.head, 'saved head'), values.head);
  const verifier = saved ? publicKey(ctx, values.key) : null;
  return withCredence(ctx, async (c, store) => {
    const v = await c.verifyAudit();
    const chainLine = v.ok ? `audit chain intact: ${v.count} entries, head ${v.head}; all ${v.records} records covered`
      : v.code === 'AUDIT_CHAIN_BROKEN' ? `AUDIT_CHAIN_BROKEN at entry ${v.brokenAt}: ${v.reason} (${v.count} entries verified before it)`
        : `AUDIT_COVERAGE_BROKEN: ${v.reason} (chain of ${v.count} entries intact)`;
    if (!saved) {
      if (values.json) json(ctx, v);
      else ctx.io.out(chainLine);
      return v.ok ? EXIT.OK : EXIT.NEGATIVE;
    }
    const h = await new AuditLog(store, null, ctx.now).checkHead(saved, verifier!);
    const ok = v.ok && h.ok;
    if (values.json) json(ctx, { ok, chain: v, head: h });
    else {
      ctx.io.out(chainLine);
      ctx.io.out(h.ok
        ? `the log contains the saved head's tree: its ${h.savedSize} entries hash to ${saved.rootHash}, and the consistency proof to the log's ${h.size} entries verifies (${h.consistencyPath.length} hashes); signature valid`
        : `${h.code}: ${h.reason}`);
    }
    return ok ? EXIT.OK : EXIT.NEGATIVE;
  });
}

async function head(ctx: CliContext, out: string | undefined): Promise<number> {
  const signer = logKey(ctx, true);
  return withCredence(ctx, async (_c, store) => {
    const { head: h, chain } = await new AuditLog(store, signer, ctx.now).head();
    const body = JSON.stringify({ ...h, seq: chain?.seq ?? 0, hash: chain?.hash ?? null }, null, 2);
    if (out === undefined) ctx.io.out(body);
    else {
      writeFileSync(out, `${body}\n`);
      ctx.io.out(`signed tree head: ${h.treeSize} entries, root ${h.rootHash}, at ${new Date(h.timestamp).toISOString()}, key ${h.keyId.slice(0, 16)}...; saved to ${out}`);
    }
    return EXIT.OK;
  });
}

function key(ctx: CliContext, out: string | undefined): number {
  const k = logKey(ctx, true);
  if (out !== undefined) {
    writeFileSync(out, k.pem);
    ctx.io.out(`public key ${k.keyId} saved to ${out}`);
  } else {
    ctx.io.out(k.pem.trimEnd());
    ctx.io.out(`raw (base64): ${k.raw}`);
    ctx.io.out(`key id (SHA-256 of the raw key): ${k.keyId}`);
  }
  return EXIT.OK;
}

async function prove(ctx: CliContext, seq: number, size: number | undefined, asJson: boolean): Promise<number> {
  return withCredence(ctx, async (_c, store) => {
    const p = await new AuditLog(store, null, ctx.now).inclusion(seq, size);
    const v = verifyInclusion(p.leafIndex, p.treeSize, parseHash(p.leafHash)!, p.inclusionPath.map((x) => parseHash(x)!), parseHash(p.rootHash)!);
    if (asJson) json(ctx, { ...proofDto(p), verified: v.ok });
    else {
      const e = p.entry;
      ctx.io.out(`entry ${e.seq} (leaf ${p.leafIndex}) in the tree of ${p.treeSize} entries`);
      ctx.io.out(`  ${new Date(e.at).toISOString()}  ${e.actor}  ${e.action}${e.subject ? `  subject ${e.subject}` : ''}`);
      ctx.io.out(`  detail     ${JSON.stringify(e.detail).slice(0, 300)}`);
      ctx.io.out(`  leaf hash  ${p.leafHash}`);
      ctx.io.out(`  inclusion path (${p.inclusionPath.length} hash${p.inclusionPath.length === 1 ? '' : 'es'}):`);
      for (const x of p.inclusionPath) ctx.io.out(`    ${x}`);
      ctx.io.out(`  root hash  ${p.rootHash}`);
      ctx.io.out(v.ok ? 'verifies (RFC 9162 §2.1.3.2)' : `AUDIT_PROOF_INVALID: ${v.reason}`);
    }
    return v.ok ? EXIT.OK : EXIT.NEGATIVE;
  });
}

async function consistency(ctx: CliContext, from: number, to: number, asJson: boolean): Promise<number> {
  if (from > to) throw new UsageError(`OLD (${from}) must not be larger than NEW (${to})`);
  return withCredence(ctx, async (_c, store) => {
    const p = await new AuditLog(store, null, ctx.now).consistency(from, to);
    const v = verifyConsistency(p.from, p.to, parseHash(p.fromRoot)!, parseHash(p.toRoot)!, p.consistencyPath.map((x) => parseHash(x)!));
    if (asJson) json(ctx, { ...p, verified: v.ok });
    else {
      ctx.io.out(`consistency of the tree of ${p.from} entries with the tree of ${p.to}`);
      ctx.io.out(`  root of ${p.from}  ${p.fromRoot}`);
      ctx.io.out(`  root of ${p.to}  ${p.toRoot}`);
      ctx.io.out(`  consistency path (${p.consistencyPath.length} hash${p.consistencyPath.length === 1 ? '' : 'es'}):`);
      for (const x of p.consistencyPath) ctx.io.out(`    ${x}`);
      ctx.io.out(v.ok ? 'verifies (RFC 9162 §2.1.4.2)' : `AUDIT_PROOF_INVALID: ${v.reason}`);
    }
    return v.ok ? EXIT.OK : EXIT.NEGATIVE;
  });
}

function checkProof(ctx: CliContext, values: { head?: string; proof?: string; key?: string; json?: boolean }): number {
  if (values.head === undefined || values.proof === undefined) throw new UsageError('check-proof needs --head FILE and --proof FILE');
  const saved = parseSignedHead(readText(values.head, 'saved head'), values.head);
  const proof = parseInclusionProof(readText(values.proof, 'saved proof'), values.proof);
  const verifier = publicKey(ctx, values.key);
  const r = checkInclusionProof(saved, proof, verifier);
  if (values.json) json(ctx, { ...r, seq: proof.entry.seq, treeSize: saved.treeSize, rootHash: saved.rootHash, keyId: verifier.keyId });
  else if (r.ok) ctx.io.out(`entry ${proof.entry.seq} (${proof.entry.action}, ${new Date(proof.entry.at).toISOString()}) is in the log's tree of ${saved.treeSize} entries, root ${saved.rootHash}, signed ${new Date(saved.timestamp).toISOString()} by key ${verifier.keyId.slice(0, 16)}...; leaf hash ${r.leafHash}`);
  else ctx.io.out(`${r.code}: ${r.reason}`);
  return r.ok ? EXIT.OK : EXIT.NEGATIVE;
}
