import { InputError } from "../core/errors.js";
import { CLIP_KINDS, type ClipSpec, clipSpecSchema } from "../transforms/spec.js";
import { CLIP_FORMS, parseClipText } from "../transforms/spec-text.js";
import { CLIP_GRID_FORMS, DEFAULT_CLIP_KINDS, DEFAULT_THRESHOLDS } from "./defaults.js";
import { parsePositiveList, parseSeeds, splitList } from "./grid-lists.js";
import { canonicalJson } from "./spec.js";

export { parsePositiveList, parseSeeds } from "./grid-lists.js";

/**
 * The sweep grid as the command line writes it, parsed and checked: every bad grid is an
 * InputError naming the option and the entry (the CLI exits 2 with it).
 *
 * - `--clip none,value:0.01,agc:0.01,eps=1e-4,zclip:2.5` lists settings in the `--clip`
 *   grammar of `biograd train` (src/transforms/spec-text.ts): a part holding `=` or naming no
 *   clip kind is a setting of the entry before it. Or `--clip-kinds value,zclip,warmup-steps=10
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
  /** Clip settings (transform spec pieces), the baseline `none` first. */
  clips: ClipSpec[];
  /** Whether `none` was added because the grid did not list it. */
  baselineAdded: boolean;
  lrs: number[];
  seeds: number[];
}

export { CLIP_GRID_FORMS, DEFAULT_CLIP_KINDS, DEFAULT_THRESHOLDS };

export function parseGrid(text: GridText): Grid {
  let clips: ClipSpec[];
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

/** `none,value:0.1,zclip:2.5,warmup-steps=10` → clip specs in the order given. */
export function parseClipList(text: string): ClipSpec[] {
  const entries = groupEntries("--clip", text, "none,value:0.1,global-norm:1");
  const out: ClipSpec[] = [];
  const seen = new Map<string, string>();
  for (const entry of entries) {
    const head = entry.split(/[:,]/)[0]!;
    if (head === "none" && entry !== "none") {
      throw new InputError(`--clip: "none" takes no threshold or settings, got "${entry}"`);
    }
    if (isClipKind(head) && !entry.startsWith(`${head}:`)) {
      throw new InputError(`--clip: "${head}" needs a threshold (${head}:T, e.g. ${head}:0.1)`);
    }
    if (head !== "none" && !isClipKind(head)) {
      throw new InputError(
        `--clip: unknown clip kind "${head}" in "${entry}" (expected ${CLIP_FORMS})`,
      );
    }
    const clip = parseClipText(entry, "--clip");
    noRepeat("--clip", seen, clip, entry);
    out.push(clip);
  }
  return out;
}

/**
 * `--clip-kinds value,zclip,warmup-steps=10 --thresholds 0.1,1` → value:0.1, value:1,
 * zclip:0.1,warmup-steps=10, zclip:1,warmup-steps=10 (kind-major).
 */
export function expandKinds(kindsText: string, thresholdsText: string | undefined): ClipSpec[] {
  const entries = groupEntries("--clip-kinds", kindsText, "value,global-norm");
  const seen = new Set<string>();
  for (const entry of entries) {
    const kind = entry.split(",")[0]!;
    if (kind !== "none" && !isClipKind(kind)) {
      throw new InputError(
        `--clip-kinds: unknown clip kind "${kind}" (expected none, ${CLIP_KINDS.join(", ")})`,
      );
    }
    if (kind === "none" && entry !== "none") {
      throw new InputError(`--clip-kinds: "none" takes no settings, got "${entry}"`);
    }
    if (seen.has(entry)) throw new InputError(`--clip-kinds: "${entry}" is listed twice`);
    seen.add(entry);
  }
  const needThresholds = entries.some((e) => e !== "none");
  const thresholds =
    thresholdsText === undefined
      ? needThresholds
        ? parsePositiveList("--thresholds", "threshold", DEFAULT_THRESHOLDS)
        : []
      : parsePositiveList("--thresholds", "threshold", thresholdsText);
  const out: ClipSpec[] = [];
  const specs = new Map<string, string>();
  for (const entry of entries) {
    if (entry === "none") {
      out.push({ kind: "none" });
      continue;
    }
    const [kind, ...settings] = entry.split(",");
    for (const t of thresholds) {
      const text = [`${kind}:${t}`, ...settings].join(",");
      const clip = parseClipText(text, "--clip-kinds");
      noRepeat("--clip-kinds", specs, clip, text);
      out.push(clip);
    }
  }
  return out;
}

/**
 * Splits a clip list into entries: a part that holds `=` (`eps=1e-4`) or names a setting of
 * the entry before it (`include-current`) belongs to that entry, as in `train --clip`; any
 * other part starts an entry.
 */
function groupEntries(option: string, text: string, example: string): string[] {
  const entries: string[] = [];
  for (const part of splitList(option, text, example)) {
    const previous = entries.at(-1)?.split(/[:,]/)[0];
    const setting =
      previous !== undefined &&
      !part.includes(":") &&
      (part.includes("=") || settingsOf(previous).includes(camel(part)));
    if (setting) entries[entries.length - 1] += `,${part}`;
    else entries.push(part);
  }
  return entries;
}

/** The settings a clip kind takes besides its threshold (from its schema). */
function settingsOf(kind: string): string[] {
  const schema = clipSpecSchema().options.find((o) => o.shape.kind.value === kind);
  return schema ? Object.keys(schema.shape).filter((k) => k !== "kind" && k !== "threshold") : [];
}

const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Refuses a clip spec seen before (compared as specs: `value:1` and `value:1.0` are one). */
function noRepeat(option: string, seen: Map<string, string>, clip: ClipSpec, entry: string) {
  const key = canonicalJson(clip);
  const earlier = seen.get(key);
  if (earlier !== undefined) {
    const same = earlier === entry ? "" : ` (as "${earlier}")`;
    throw new InputError(`${option}: "${entry}" is listed twice${same}`);
  }
  seen.set(key, entry);
}

function isClipKind(k: string): boolean {
  return (CLIP_KINDS as readonly string[]).includes(k);
}
