// API key material: typed prefix + 256 random bits (base64url), shown once, stored as SHA-256.
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../../ports/access-store.ts';

export const KEY_PREFIX: Record<Role, string> = {
  source: 'crd_src_',
  provider: 'crd_prv_',
  operator: 'crd_op_',
  auditor: 'crd_aud_',
  subject: 'crd_sub_',
};

/** Longest key accepted in a header (prefix + 43 base64url characters, with slack). */
export const KEY_LENGTH_MAX = 80;
export const KEY_PATTERN = /^crd_(src|prv|op|aud|sub)_[A-Za-z0-9_-]{43}$/;

export const hashKey = (secret: string) => createHash('sha256').update(secret).digest('hex');

export function newKey(role: Role): { id: string; secret: string; hash: string } {
  const secret = KEY_PREFIX[role] + randomBytes(32).toString('base64url');
  return { id: `key_${randomBytes(12).toString('base64url')}`, secret, hash: hashKey(secret) };
}
