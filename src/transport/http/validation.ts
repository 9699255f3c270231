// What a request that does not match its route schema is told: one error per field, saying
// what is allowed. Ajv reports a union of literals (an enum written as anyOf of consts) as one
// "must be equal to constant" per member and a pattern as its regular expression; here the
// members become "must be one of a, b, c" and a pattern the field's own description of its
// form, each with the value that was sent.

/** An Ajv error as Fastify hands it on (verbose: with the value and the schema around it). */
export interface SchemaError {
  instancePath: string;
  keyword?: string;
  message?: string;
  params: Record<string, unknown>;
  data?: unknown;
  parentSchema?: { description?: string };
}

export interface FieldError {
  path: string;
  message: string;
}

/** The value an error is about, for the message (verbose Ajv errors carry it), cut short. */
function got(data: unknown): string {
  if (data === undefined) return '';
  const s = JSON.stringify(data);
  return `, got ${s.length > 80 ? `${s.slice(0, 77)}...` : s}`;
}

export function fieldErrors(validation: readonly SchemaError[], context: string): FieldError[] {
  const out: FieldError[] = [];
  const allowed = new Map<string, unknown[]>(); // path -> const values met so far
  for (const v of validation) {
    const extra = (v.params.missingProperty ?? v.params.additionalProperty ?? '') as string;
    const path = [context, v.instancePath.replace(/^\//, ''), extra].filter(Boolean).join('/');
    if (v.keyword === 'const') {
      allowed.set(path, [...(allowed.get(path) ?? []), v.params.allowedValue]);
      continue;
    }
    if (v.keyword === 'anyOf' && allowed.has(path)) {
      out.push({ path, message: `must be one of ${allowed.get(path)!.map((x) => JSON.stringify(x)).join(', ')}${got(v.data)}` });
      allowed.delete(path);
      continue;
    }
    if (v.keyword === 'enum') {
      out.push({ path, message: `must be one of ${(v.params.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}${got(v.data)}` });
      continue;
    }
    if (v.keyword === 'pattern' && v.parentSchema?.description) {
      out.push({ path, message: `must be ${v.parentSchema.description}${got(v.data)}` });
      continue;
    }
    out.push({ path, message: v.params.additionalProperty ? `unknown field "${extra}"` : (v.message ?? 'invalid') });
  }
  // A single literal (no union around it).
  for (const [path, values] of allowed) out.push({ path, message: `must be ${values.map((x) => JSON.stringify(x)).join(' or ')}` });
  return out;
}
