import { InputError } from "../core/errors.js";
import { CLIP_KINDS, type ClipKind, type ClipSetting, clipLabel } from "./spec.js";

/**
 * The sweep grid as the command line writes it, parsed and checked: every bad grid is an
 * InputError naming the option and the entry (the CLI exits 2 with it).
 *
 * - `--clip none,value:0.01,global-norm:1` lists settings, or `--clip-kinds value,global-norm
 *   --thresholds 0.01,0.1,1` expands to their product (kind-major). The unclipped baseline
 *   `none` is always in the grid, first: added when not listed.
 * - `--lr 0.001,0.01,0.1`: learning rates, each crossed with every clip.
 * - `--seeds 3` means seeds 0, 1, 2; a list `1,5,9` or ranges `0-4` name them.
 * Thresholds and learning rates are numbers > 0; no entry may repeat (numerically: `0.1` and
 * `1e-1` are the same); the grid may not be empty or hold only the baseline.
 */
export interface GridText {
  clip?: string;
  clipKinds?: string;
  thresholds?: string;
  lr: string;
  seeds: string;
}

export interface Grid {
  /** Clip settings, the baseline `none` first. */
  clips: ClipSetting[];
  /** Whether `none` was added because the grid did not list it. */
  baselineAdded: boolean;
  lrs: number[];
  seeds: number[];
}

export const CLIP_GRID_FORMS = "none | value:A | norm:C | global-norm:C | global-norm-inf:C";
export const DEFAULT_CLIP_KINDS = "value,global-norm";
export const DEFAULT_THRESHOLDS = "0.01,0.1,1,10";

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseGrid(text: GridText): Grid {
  let clips: ClipSetting[];
  if (text.clip !== undefined) {
    if (text.clipKinds !== undefined) {
      throw new InputError(
        "--clip and --clip-kinds: give one of them (--clip lists settings; --clip-kinds × --thresholds expands to their product)",
      );
    }
    if (text.thresholds !== undefined) {
      throw new InputError("--thresholds: goes with --clip-kinds, not with --clip");
    }
    clips = parseClipList(text.clip);
  } else {
    clips = expandKinds(text.clipKinds ?? DEFAULT_CLIP_KINDS, text.thresholds);
  }
  const baselineAdded = !clips.some((c) => c.kind === "none");
  if (baselineAdded) clips.unshift({ kind: "none" });
  else clips.sort((a, b) => (a.kind === "none" ? -1 : b.kind === "none" ? 1 : 0));
  if (clips.length === 1) {
    throw new InputError(
      `--clip: the grid holds only the unclipped baseline "none"; add clip settings such as value:0.1,global-norm:1`,
    );
  }
  return {
    clips,
    baselineAdded,
    lrs: parsePositiveList("--lr", "learning rate", text.lr),
    seeds: parseSeeds(text.seeds),
  };
}

/** `none,value:0.1,global-norm:1` → clip settings in the order given. */
export function parseClipList(text: string): ClipSetting[] {
  const entries = splitList("--clip", text, "none,value:0.1,global-norm:1");
  const out: ClipSetting[] = [];
  const seen = new Map<string, string>();
  for (const entry of entries) {
    const [kind, arg, ...rest] = entry.split(":");
    let clip: ClipSetting;
    if (kind === "none") {
      if (arg !== undefined)
        throw new InputError(`--clip: "none" takes no threshold, got "${entry}"`);
      clip = { kind: "none" };
    } else if (isClipKind(kind!)) {
      if (arg === undefined || arg === "")
        throw new InputError(`--clip: "${kind}" needs a threshold (${kind}:C, e.g. ${kind}:0.1)`);
      if (rest.length > 0)
        throw new InputError(`--clip: expected ${CLIP_GRID_FORMS}, got "${entry}"`);
      clip = { kind, threshold: positive("--clip", `threshold of "${entry}"`, arg) };
    } else {
      throw new InputError(
        `--clip: unknown clip kind "${kind}" in "${entry}" (expected ${CLIP_GRID_FORMS})`,
      );
    }
    const label = clipLabel(clip);
    const earlier = seen.get(label);
    if (earlier !== undefined) {
      const same = earlier === entry ? "" : ` (as "${earlier}")`;
      throw new InputError(`--clip: "${entry}" is listed twice${same}`);
    }
    seen.set(label, entry);
    out.push(clip);
  }
  return out;
}

/** `--clip-kinds value,global-norm --thresholds 0.1,1` → value:0.1, value:1, global-norm:0.1, … */
export function expandKinds(kindsText: string, thresholdsText: string | undefined): ClipSetting[] {
  const kinds = splitList("--clip-kinds", kindsText, "value,global-norm");
  const seen = new Set<string>();
  for (const k of kinds) {
    if (k !== "none" && !isClipKind(k)) {
      throw new InputError(
        `--clip-kinds: unknown clip kind "${k}" (expected none, ${CLIP_KINDS.join(", ")})`,
      );
    }
    if (seen.has(k)) throw new InputError(`--clip-kinds: "${k}" is listed twice`);
    seen.add(k);
  }
  const needThresholds = kinds.some((k) => k !== "none");
  const thresholds =
    thresholdsText === undefined
      ? needThresholds
        ? parsePositiveList("--thresholds", "threshold", DEFAULT_THRESHOLDS)
        : []
      : parsePositiveList("--thresholds", "threshold", thresholdsText);
  const out: ClipSetting[] = [];
  for (const k of kinds) {
    if (k === "none") out.push({ kind: "none" });
    else for (const t of thresholds) out.push({ kind: k as ClipKind, threshold: t });
  }
  return out;
}

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

function splitList(option: string, text: string, example: string): string[] {
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

function isClipKind(k: string): k is ClipKind {
  return (CLIP_KINDS as readonly string[]).includes(k);
}
