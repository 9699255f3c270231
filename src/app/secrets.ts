// Bearer secrets of Credence (API keys, consent tokens): a typed prefix and 256 random bits
// (base64url), shown once, stored only as their SHA-256; and the public ids beside them.
import { createHash, randomBytes } from 'node:crypto';

/** The SHA-256 (hex) a secret is stored and looked up by. */
export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** A new secret with its prefix (`crd_op_`, `crd_cns_`, ...), its public id (`<idPrefix>_...`, 96 random bits) and its hash. */
export function newSecret(prefix: string, idPrefix: string): { id: string; secret: string; hash: string } {
  const secret = prefix + randomBytes(32).toString('base64url');
  return { id: `${idPrefix}_${randomBytes(12).toString('base64url')}`, secret, hash: hashSecret(secret) };
}
