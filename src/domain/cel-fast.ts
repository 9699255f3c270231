// A fast path for the conditions rules use most: conjunctions of comparisons between a field
// of the record and a literal (`record.source == "x" && record.payload.months >= 3`). They run
// as plain closures; anything outside that shape, or a value whose type does not match its
// literal, or a missing field, falls back to the CEL evaluator for the whole expression, so the
// result (or the error) is always exactly CEL's. test/cel-fast.property.test.ts checks it.

type Input = { record: object };
type Leaf = (input: Input) => boolean;

/** Thrown by a leaf that cannot decide; the whole expression then runs in CEL. */
const DELEGATE: unique symbol = Symbol('delegate');

interface AstNode {
  op: string;
  args: unknown;
}

const isNode = (x: unknown): x is AstNode => !!x && typeof x === 'object' && 'op' in x;

/** `record.a.b` as ['a', 'b'], or null. */
function memberPath(n: unknown): string[] | null {
  const path: string[] = [];
  let cur = n;
  while (isNode(cur) && cur.op === '.') {
    const [obj, name] = cur.args as [unknown, unknown];
    if (typeof name !== 'string') return null;
    path.unshift(name);
    cur = obj;
  }
  return isNode(cur) && cur.op === 'id' && cur.args === 'record' && path.length > 0 ? path : null;
}

const ORDERING = new Set(['<', '<=', '>', '>=']);

function leaf(node: AstNode): Leaf | null {
  const [l, r] = node.args as [unknown, unknown];
  const path = memberPath(l);
  if (!path || !isNode(r) || r.op !== 'value') return null;
  const lit = r.args;
  const kind = typeof lit === 'string' ? 'string' : typeof lit === 'boolean' ? 'boolean' : null;
  // Numbers are left to CEL: its int/double rules for equality differ from JavaScript's.
  if (kind === null) return null;
  if (kind === 'boolean' && ORDERING.has(node.op)) return null;
  const get = (input: Input): unknown => {
    let v: unknown = input.record;
    for (const k of path) {
      if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, k)) throw DELEGATE;
      v = (v as Record<string, unknown>)[k];
    }
    if (typeof v !== kind) throw DELEGATE;
    return v;
  };
  const s = lit as string;
  // CEL orders strings by code point; JavaScript by UTF-16 unit: equal unless surrogates occur.
  const plain = (x: string) => { for (let i = 0; i < x.length; i++) if (x.charCodeAt(i) >= 0xd800) throw DELEGATE; return x; };
  switch (node.op) {
    case '==': return (i) => get(i) === lit;
    case '!=': return (i) => get(i) !== lit;
    case '<': plain(s); return (i) => plain(get(i) as string) < s;
    case '<=': plain(s); return (i) => plain(get(i) as string) <= s;
    case '>': plain(s); return (i) => plain(get(i) as string) > s;
    case '>=': plain(s); return (i) => plain(get(i) as string) >= s;
    default: return null;
  }
}

function build(node: unknown): Leaf | null {
  if (!isNode(node)) return null;
  if (node.op === '&&') {
    const [a, b] = (node.args as unknown[]).map(build);
    return a && b ? (i) => a(i) && b(i) : null;
  }
  try {
    return leaf(node);
  } catch {
    return null; // a literal the fast path does not handle
  }
}

/** A closure equal to `slow` on every input, faster where the expression has the simple shape. */
export function fastCondition<I extends Input>(ast: unknown, slow: (input: I) => unknown): (input: I) => unknown {
  const fast = build(ast);
  if (!fast) return slow;
  return (input) => {
    try {
      return fast(input);
    } catch (err) {
      if (err === DELEGATE) return slow(input);
      throw err;
    }
  };
}
