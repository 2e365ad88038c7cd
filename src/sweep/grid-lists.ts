import { InputError } from "../core/errors.js";

/** The sweep grid's number lists (`--lr`, `--thresholds`, `--seeds`), each checked by option. */

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** `0.001,0.01` → numbers > 0, none repeated. */
export function parsePositiveList(option: string, what: string, text: string): number[] {
  const out: number[] = [];
  for (const entry of splitList(option, text, "0.001,0.01,0.1")) {
    const x = positive(option, what, entry);
    if (out.includes(x)) throw new InputError(`${option}: ${x} is listed twice (in "${text}")`);
    out.push(x);
  }
  return out;
}

/** `3` → 0, 1, 2; `1,5,9` and `0-4` name seeds (integers in [0, 2^32)), none repeated. */
export function parseSeeds(text: string): number[] {
  const bad = (): never => {
    throw new InputError(
      `--seeds: expected a count N (seeds 0…N-1) or a list of seeds such as 1,5,9 or 0-4, got "${text}"`,
    );
  };
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (n < 1 || n > 10_000) throw new InputError(`--seeds: the count must be 1…10000, got ${t}`);
    return Array.from({ length: n }, (_, i) => i);
  }
  const out: number[] = [];
  for (const entry of splitList("--seeds", t, "0,1,2")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(entry);
    if (!m) return bad();
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo || hi > 0xffffffff || hi - lo >= 10_000) return bad();
    for (let s = lo; s <= hi; s++) {
      if (out.includes(s))
        throw new InputError(`--seeds: seed ${s} is listed twice (in "${text}")`);
      out.push(s);
    }
  }
  return out;
}

export function splitList(option: string, text: string, example: string): string[] {
  if (text.trim() === "") {
    throw new InputError(
      `${option}: empty grid (expected a comma-separated list such as ${example})`,
    );
  }
  const entries = text.split(",").map((s) => s.trim());
  if (entries.some((e) => e === "")) {
    throw new InputError(`${option}: empty entry in "${text}" (separate entries by single commas)`);
  }
  return entries;
}

function positive(option: string, what: string, text: string): number {
  if (!NUMBER.test(text.trim()))
    throw new InputError(`${option}: ${what} must be a number > 0, got "${text}"`);
  const x = Number(text);
  if (!(x > 0) || !Number.isFinite(x))
    throw new InputError(`${option}: ${what} must be a number > 0, got ${text}`);
  return x;
}
