/**
 * One copy of each string the workspace index keeps. What an analyser thread sends back is a fresh
 * copy of every string, so a thousand runbooks hold a thousand copies of "missing-section", of each
 * message the template's parts give and of each heading they share. The index passes what it keeps
 * through a pool, which answers the copy it has seen first. The pool forgets everything when it has
 * grown to `limit` strings, so a long session with ever new text does not keep it all.
 */
export class StringPool {
  private pool = new Map<string, string>();

  constructor(private readonly limit = 50_000) {}

  /** The pool's copy of `s`. */
  get(s: string): string {
    const known = this.pool.get(s);
    if (known !== undefined) return known;
    if (this.pool.size >= this.limit) this.pool.clear();
    this.pool.set(s, s);
    return s;
  }

  /** `value` with every string in it replaced, in place, by the pool's copy: plain objects, arrays and sets, to any depth. */
  share<T>(value: T): T {
    return this.walk(value, 0) as T;
  }

  private walk(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.get(value);
    if (value === null || typeof value !== 'object' || depth > 32) return value;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = this.walk(value[i], depth + 1);
      return value;
    }
    if (value instanceof Set) {
      const items = [...value].map((v) => this.walk(v, depth + 1));
      value.clear();
      for (const v of items) value.add(v);
      return value;
    }
    if (Object.getPrototypeOf(value) !== Object.prototype) return value;
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = this.walk(record[key], depth + 1);
    return value;
  }
}
