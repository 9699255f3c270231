// The key that signs the audit log's tree heads (Ed25519, node:crypto). It is not in the
// database: a PEM file (PKCS #8) whose path the configuration names, created with mode 0600
// on first use; a memory database gets a key that lives only in the process. Verifiers need
// only the public key (GET /v1/audit/key, or `credence audit key`).
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { treeHeadBytes, type TreeHead } from '../domain/merkle.ts';

/** A public log key: what a verifier holds. */
export interface LogVerifier {
  publicKey: KeyObject;
  /** SPKI PEM. */
  pem: string;
  /** The 32-byte raw Ed25519 public key (RFC 8032), base64. */
  raw: string;
  /** SHA-256 of the raw public key, hex: names the key in a signed head. */
  keyId: string;
}

/** The log key: signs tree heads. */
export interface LogSigner extends LogVerifier {
  /** The key file, or null for a key that lives only in this process. */
  file: string | null;
  sign(bytes: Uint8Array): Buffer;
}

/** A tree head and its signature: what GET /v1/audit/head serves and `credence audit head` saves. */
export interface SignedTreeHead extends TreeHead {
  /** Ed25519 signature of treeHeadBytes(head), base64. */
  signature: string;
  /** SHA-256 of the raw public key that signed it, hex (not signed; tells which key to use). */
  keyId: string;
}

/** The key file is missing, unreadable or not an Ed25519 key. */
export class LogKeyError extends Error {
  readonly code = 'AUDIT_KEY_UNAVAILABLE';
}

function verifierOf(publicKey: KeyObject): LogVerifier {
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new LogKeyError(`the log key is a ${publicKey.asymmetricKeyType ?? 'unknown'} key, not Ed25519`);
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  return {
    publicKey,
    pem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    raw: raw.toString('base64'),
    keyId: createHash('sha256').update(raw).digest('hex'),
  };
}

function signerOf(privateKey: KeyObject, file: string | null): LogSigner {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new LogKeyError(`${file ?? 'the log key'} holds a ${privateKey.asymmetricKeyType ?? 'unknown'} key, not Ed25519`);
  return { ...verifierOf(createPublicKey(privateKey)), file, sign: (bytes) => sign(null, bytes, privateKey) };
}

/** A fresh key that lives only in this process (memory databases, tests). */
export function ephemeralLogKey(): LogSigner {
  return signerOf(generateKeyPairSync('ed25519').privateKey, null);
}

/**
 * The key in `file` (PKCS #8 PEM). With `create`, a missing file is created with a new key,
 * mode 0600 (and its directory, mode 0700); without, a missing file is an error, since a new
 * key could never verify a head signed before.
 */
export function openLogKey(file: string, o: { create: boolean }): LogSigner {
  if (!existsSync(file)) {
    if (!o.create) throw new LogKeyError(`there is no log key at ${file} (CREDENCE_LOG_KEY_FILE or --log-key name another; it is created when the log first signs a head)`);
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    try {
      writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new LogKeyError(`cannot create the log key ${file}: ${(err as Error).message}`);
      // Another process created it first: use theirs.
    }
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LogKeyError(`cannot read the log key ${file}: ${(err as Error).message}`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(text);
  } catch (err) {
    throw new LogKeyError(`${file} is not a PEM private key: ${(err as Error).message}`);
  }
  return signerOf(key, file);
}

/**
 * A public key as a verifier may have saved it: SPKI PEM, the JSON of GET /v1/audit/key
 * ({pem} or {raw}), the raw 32-byte key in base64, or a private key PEM (its public half).
 */
export function parsePublicKey(text: string, where: string): LogVerifier {
  const t = text.trim();
  try {
    if (t.startsWith('{')) {
      const j = JSON.parse(t) as { pem?: unknown; raw?: unknown };
      if (typeof j.pem === 'string') return parsePublicKey(j.pem, where);
      if (typeof j.raw === 'string') return parsePublicKey(j.raw, where);
      throw new LogKeyError(`${where}: the JSON has neither "pem" nor "raw"`);
    }
    if (t.startsWith('-----BEGIN')) return verifierOf(createPublicKey(t));
    const raw = Buffer.from(t, 'base64');
    if (raw.length !== 32 || raw.toString('base64') !== t) throw new LogKeyError(`${where}: not a PEM key, the JSON of GET /v1/audit/key, or a 32-byte base64 Ed25519 key`);
    return verifierOf(createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' }));
  } catch (err) {
    if (err instanceof LogKeyError) throw err;
    throw new LogKeyError(`${where}: not a usable Ed25519 public key: ${(err as Error).message.split('\n')[0]}`);
  }
}

export function signTreeHead(key: LogSigner, head: TreeHead): SignedTreeHead {
  const h = { treeSize: head.treeSize, timestamp: head.timestamp, rootHash: head.rootHash };
  return { ...h, signature: key.sign(treeHeadBytes(h)).toString('base64'), keyId: key.keyId };
}

/** Whether `head.signature` is the key's Ed25519 signature of treeHeadBytes(head). */
export function verifyTreeHead(key: LogVerifier, head: TreeHead & { signature: string }): boolean {
  const sig = Buffer.from(head.signature, 'base64');
  if (sig.length !== 64) return false;
  try {
    return verify(null, treeHeadBytes(head), key.publicKey, sig);
  } catch {
    return false;
  }
}
