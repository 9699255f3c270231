// What a rule condition may read, checked on its syntax tree before it is compiled. This is
// the structural half of the charter's refusals (the screen in screen.ts is the other):
// a condition sees only declared, typed facts of the subject's own record, so a rule cannot
// score belief, opinion or association through free text, other subjects or dynamic access,
// whatever words it uses.
//
// Allowed: `record.type`, `record.source`, `record.occurredAt`, and `record.payload.<f>`
// where the record type's payload schema declares `f` as an enum, a boolean, a number, an
// integer, or a string with format date / date-time. Literals, lists of literals, logic,
// comparison, arithmetic, the conditional operator, `has()` of an allowed path and the
// conversions int/uint/double/timestamp/duration. Everything else is refused with a code:
// free text (a string without enum, evidence), string functions (contains, matches,
// startsWith, endsWith, size, string, regular expressions), dynamic access (index syntax,
// comprehension macros, `dyn`, maps, any other function), undeclared fields, and a string
// compared with an enum field that is not one of its values.
//
// Pure: it walks the tree that @marcbachmann/cel-js's parser returns (`{op, args}` nodes).
import type { RecordType } from './types.ts';

export interface ReadProblem {
  code: ReadProblemCode;
  /** The refused kind, for `catalogue check` and `scheme check` output. */
  category: string | null;
  message: string;
}

export const READ_PROBLEM_CODES = {
  SCHEME_RULE_FREE_TEXT: 'the condition reads free text (a string field without enum, or the evidence); free text is for people, never for rules',
  SCHEME_RULE_STRING_FUNCTION: 'the condition uses a string function (contains, matches, startsWith, endsWith, size, string, lower/upper...)',
  SCHEME_RULE_DYNAMIC_ACCESS: 'the condition uses index syntax, a comprehension, dyn(), a map or a function outside the allowed set',
  SCHEME_RULE_UNDECLARED_FIELD: 'the condition names a record attribute or payload field that the record type does not declare',
  SCHEME_ASSOCIATION: 'the condition reads a variable other than `record`: nothing but the subject\'s own record exists for a rule',
  SCHEME_RULE_ENUM_VALUE: 'the condition compares an enum field with a value that is not one of its declared values',
} as const;
export type ReadProblemCode = keyof typeof READ_PROBLEM_CODES;

/** What each refusal protects against (null: a plain error, not a refusal). */
export const READ_PROBLEM_CATEGORY: Readonly<Record<ReadProblemCode, string | null>> = {
  SCHEME_RULE_FREE_TEXT: 'free-text',
  SCHEME_RULE_STRING_FUNCTION: 'free-text',
  SCHEME_RULE_DYNAMIC_ACCESS: 'dynamic-access',
  SCHEME_RULE_UNDECLARED_FIELD: 'undeclared-field',
  SCHEME_ASSOCIATION: 'association',
  SCHEME_RULE_ENUM_VALUE: null,
};

/** Record attributes a condition may read, besides declared payload fields. */
export const READABLE_RECORD_FIELDS = ['type', 'source', 'occurredAt'] as const;

const STRING_FUNCTIONS = new Set([
  'contains', 'matches', 'startsWith', 'endsWith', 'size', 'string', 'lowerAscii', 'upperAscii',
  'lower', 'upper', 'trim', 'replace', 'split', 'substring', 'indexOf', 'lastIndexOf', 'charAt',
  'join', 'format', 'quote', 'bytes', 're', 'find', 'findAll', 'extract',
]);
const CONVERSIONS = new Set(['int', 'uint', 'double', 'timestamp', 'duration']);
const LOGIC = new Set(['&&', '||']);
const COMPARISON = new Set(['==', '!=', '<', '<=', '>', '>=']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);

interface Node {
  op: string;
  args: unknown;
}
const isNode = (x: unknown): x is Node => !!x && typeof x === 'object' && typeof (x as Node).op === 'string';

const DATE_PATTERNS = new Set(['^\\d{4}-\\d{2}-\\d{2}$', '^[0-9]{4}-[0-9]{2}-[0-9]{2}$']);

type FieldKind = 'enum' | 'boolean' | 'number' | 'date' | 'free-text' | 'other';

/** How a declared payload field may be read. */
export function fieldKind(schema: unknown): FieldKind {
  if (!schema || typeof schema !== 'object') return 'other';
  const s = schema as { enum?: unknown; type?: unknown; format?: unknown; pattern?: unknown };
  if (Array.isArray(s.enum)) return 'enum';
  if (s.type === 'boolean') return 'boolean';
  if (s.type === 'number' || s.type === 'integer') return 'number';
  if (s.type === 'string') {
    if (s.format === 'date' || s.format === 'date-time') return 'date';
    // An ISO date declared by its pattern (end_date: '^\d{4}-\d{2}-\d{2}$') is a date too.
    return typeof s.pattern === 'string' && DATE_PATTERNS.has(s.pattern) ? 'date' : 'free-text';
  }
  return 'other';
}

/** `record.a.b` as ['a', 'b'] when the chain is rooted at the variable `record`, else null. */
function recordPath(n: Node): string[] | null {
  const path: string[] = [];
  let cur: unknown = n;
  while (isNode(cur) && cur.op === '.') {
    const [obj, name] = cur.args as [unknown, unknown];
    if (typeof name !== 'string') return null;
    path.unshift(name);
    cur = obj;
  }
  return isNode(cur) && cur.op === 'id' && cur.args === 'record' ? path : null;
}

interface Ctx {
  type: RecordType | undefined;
  problems: ReadProblem[];
}

function add(ctx: Ctx, code: ReadProblemCode, message: string): void {
  if (!ctx.problems.some((p) => p.code === code && p.message === message)) ctx.problems.push({ code, category: READ_PROBLEM_CATEGORY[code], message });
}

/** Checks one path rooted at `record`; returns the enum values when the path is an enum field. */
function checkPath(path: string[], ctx: Ctx): { enumValues?: readonly unknown[] } {
  const shown = ['record', ...path].join('.');
  const readable = (READABLE_RECORD_FIELDS as readonly string[]).join(', record.');
  if (path.length === 0) {
    add(ctx, 'SCHEME_RULE_DYNAMIC_ACCESS', 'the condition uses `record` as a whole; it may read only record.' + readable + ' and declared typed payload fields');
    return {};
  }
  const [head, field, ...rest] = path;
  if (head === 'evidence') {
    add(ctx, 'SCHEME_RULE_FREE_TEXT', `${shown}: evidence references are for people, never for rules`);
    return {};
  }
  if (head !== 'payload') {
    if (path.length === 1 && (READABLE_RECORD_FIELDS as readonly string[]).includes(head!)) return {};
    add(ctx, 'SCHEME_RULE_UNDECLARED_FIELD', `${shown} is not readable: a rule reads only record.${readable} and the typed fields its record type declares (never the subject's attributes)`);
    return {};
  }
  if (field === undefined) {
    add(ctx, 'SCHEME_RULE_DYNAMIC_ACCESS', `${shown}: read a declared payload field by name, not the payload as a whole`);
    return {};
  }
  const props = (ctx.type?.payloadSchema?.properties ?? {}) as Record<string, unknown>;
  if (!ctx.type) return {}; // the unknown record type is reported by the caller
  if (!Object.prototype.hasOwnProperty.call(props, field)) {
    const declared = Object.keys(props).filter((k) => fieldKind(props[k]) !== 'free-text' && fieldKind(props[k]) !== 'other');
    add(ctx, 'SCHEME_RULE_UNDECLARED_FIELD', `${shown}: ${ctx.type.code} declares no payload field "${field}"${declared.length ? ` (readable fields: ${declared.join(', ')})` : ' (it has no field a rule may read)'}`);
    return {};
  }
  const kind = fieldKind(props[field]);
  if (kind === 'free-text') {
    add(ctx, 'SCHEME_RULE_FREE_TEXT', `${shown} is free text (a string without enum) in ${ctx.type.code}; free text is for people, never for rules`);
    return {};
  }
  if (kind === 'other') {
    add(ctx, 'SCHEME_RULE_DYNAMIC_ACCESS', `${shown} is neither an enum, a boolean, a number nor a date; a rule cannot read it`);
    return {};
  }
  if (rest.length > 0) {
    add(ctx, 'SCHEME_RULE_DYNAMIC_ACCESS', `${shown}: payload field "${field}" has no members`);
    return {};
  }
  return kind === 'enum' ? { enumValues: (props[field] as { enum: unknown[] }).enum } : {};
}

function literalStrings(n: unknown): string[] | null {
  if (isNode(n) && n.op === 'value' && typeof n.args === 'string') return [n.args];
  if (isNode(n) && n.op === 'list' && Array.isArray(n.args)) {
    const out: string[] = [];
    for (const e of n.args) {
      if (!(isNode(e) && e.op === 'value' && typeof e.args === 'string')) return null;
      out.push(e.args);
    }
    return out;
  }
  return null;
}

function enumCheck(pathNode: unknown, other: unknown, ctx: Ctx): void {
  if (!isNode(pathNode) || pathNode.op !== '.') return;
  const path = recordPath(pathNode);
  if (!path || path[0] !== 'payload' || path.length !== 2 || !ctx.type) return;
  const schema = (ctx.type.payloadSchema?.properties as Record<string, { enum?: unknown[] }> | undefined)?.[path[1]!];
  if (!schema || !Array.isArray(schema.enum)) return;
  const values = literalStrings(other);
  if (!values) return;
  for (const v of values) {
    if (!schema.enum.includes(v)) {
      add(ctx, 'SCHEME_RULE_ENUM_VALUE', `record.payload.${path[1]} is never "${v}": ${ctx.type.code} declares ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`);
    }
  }
}

function walk(n: unknown, ctx: Ctx): void {
  if (!isNode(n)) {
    add(ctx, 'SCHEME_RULE_DYNAMIC_ACCESS', 'the condition has a construct a rule cannot use');
    return;
  }
  const { op, args } = n;
  if (op === 'value') return;
  if (op === 'id') {
    // A bare identifier other than inside a record path: `record` alone, or a comprehension
    // variable (comprehensions are refused where they appear).
    if (args === 'record') add(ctx, 'SCHEME_RULE_DYNAMIC_ACCESS', 'the condition uses `record` as a whole; it may read only its declared typed fields');
    else add(ctx, 'SCHEME_ASSOCIATION', `the condition reads "${String(args)}"; a rule may read only \`record\` (the subject's own record)`);
    return;
  }
  if (op === '.') {
    const path = recordPath(n);
    if (path) {
      checkPath(path, ctx);
      return;
    }
    let root: unknown = n;
    while (isNode(root) && root.op === '.') root = (root.args as unknown[])[0];
    if (isNode(root) && root.op === 'id') walk(root, ctx);
    else add(ctx, 'SCHEME_RULE_DYNAMIC_ACCESS', 'the condition reads a member of something other than the record (a map, a call, an index)');
    return;
  }
  if (op === '[]') {
    add(ctx, 'SCHEME_RULE_DYNAMIC_ACCESS', 'index syntax (x["name"], x[0]) is dynamic access: read a declared field by name, e.g. record.payload.months');
    return;
  }
  if (op === 'list') {
    for (const e of args as unknown[]) {
      if (!(isNode(e) && e.op === 'value')) add(ctx, 'SCHEME_RULE_DYNAMIC_ACCESS', 'a list in a condition holds literal values only');
    }
    return;
  }
  if (op === 'map') {
    add(ctx, 'SCHEME_RULE_DYNAMIC_ACCESS', 'a map literal has no place in a rule condition');
    return;
  }
  if (op === 'rcall') {
    // The receiver is checked too (a free-text field is reported as such); the arguments of a
    // refused method are not: a comprehension's body names its own variable.
    const [name, target] = args as [string, unknown];
    add(
      ctx,
      STRING_FUNCTIONS.has(name) ? 'SCHEME_RULE_STRING_FUNCTION' : 'SCHEME_RULE_DYNAMIC_ACCESS',
      STRING_FUNCTIONS.has(name)
        ? `.${name}() is a string function; a rule never matches text (compare an enum field with its declared values instead)`
        : `.${name}() is not allowed in a rule condition (comprehensions and methods reach beyond declared fields)`,
    );
    walk(target, ctx);
    return;
  }
  if (op === 'call') {
    const [name, callArgs] = args as [string, unknown[]];
    if (name === 'has') {
      const a = callArgs?.[0];
      const path = isNode(a) && a.op === '.' ? recordPath(a) : null;
      if (!path || callArgs.length !== 1) add(ctx, 'SCHEME_RULE_DYNAMIC_ACCESS', 'has() takes one declared field of the record, e.g. has(record.payload.amount)');
      else checkPath(path, ctx);
      return;
    }
    if (CONVERSIONS.has(name)) {
      for (const a of callArgs ?? []) walk(a, ctx);
      return;
    }
    add(
      ctx,
      STRING_FUNCTIONS.has(name) ? 'SCHEME_RULE_STRING_FUNCTION' : 'SCHEME_RULE_DYNAMIC_ACCESS',
      STRING_FUNCTIONS.has(name)
        ? `${name}() is a string function; a rule never measures or matches text`
        : `${name}() is not allowed in a rule condition (allowed: has, ${[...CONVERSIONS].join(', ')})`,
    );
    for (const a of callArgs ?? []) walk(a, ctx);
    return;
  }
  if (op === '!_' || op === '-_') {
    walk(args, ctx);
    return;
  }
  if (LOGIC.has(op) || COMPARISON.has(op) || ARITHMETIC.has(op) || op === 'in' || op === '?:') {
    const parts = args as unknown[];
    if ((op === '==' || op === '!=') && parts.length === 2) {
      enumCheck(parts[0], parts[1], ctx);
      enumCheck(parts[1], parts[0], ctx);
    }
    if (op === 'in' && parts.length === 2) enumCheck(parts[0], parts[1], ctx);
    for (const a of parts) walk(a, ctx);
    return;
  }
  add(ctx, 'SCHEME_RULE_DYNAMIC_ACCESS', `the operator "${op}" is not allowed in a rule condition`);
}

/**
 * Checks what a parsed condition reads against its record type (undefined when the type is
 * unknown: only the shape is checked then). Returns every problem, each once.
 */
export function checkConditionReads(ast: unknown, type: RecordType | undefined): ReadProblem[] {
  const ctx: Ctx = { type, problems: [] };
  walk(ast, ctx);
  return ctx.problems;
}
