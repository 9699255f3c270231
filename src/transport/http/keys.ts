// API key material: typed prefix + 256 random bits (base64url), shown once, stored as SHA-256.
import { hashSecret, newSecret } from '../../app/secrets.ts';
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

export const hashKey = hashSecret;

export function newKey(role: Role): { id: string; secret: string; hash: string } {
  return newSecret(KEY_PREFIX[role], 'key');
}
