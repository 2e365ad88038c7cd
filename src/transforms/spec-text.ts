import type { z } from "zod";
import { InputError } from "../core/errors.js";
import {
  CLIP_KINDS,
  type ClipSpec,
  clipSpecSchema,
  OPTIMIZER_NAMES,
  type OptimizerSpec,
  optimizerSpecSchema,
  type ScheduleSpec,
  scheduleSpecSchema,
} from "./spec.js";

/**
 * The one text grammar of the transform spec, used by every command:
 *   --clip       none | KIND:THRESHOLD[,option=value…]      global-norm:1, zclip:2.5,warmup-steps=10
 *   --optimizer  NAME:LR[,setting=value…][,nesterov]        adam:0.01,b1=0.8
 *   --schedule   constant | step:EVERY:GAMMA | exp:GAMMA | cosine[:MIN_LR]
 * Each parser returns a spec piece (spec.ts) checked by its schema; every error is one
 * InputError naming the option (`--clip: …`). Option names are written in kebab-case.
 */

export const CLIP_FORMS = `${CLIP_KINDS.map((k) => `${k}:${clipArgument(k)}`).join(" | ")} | none`;
export const OPTIMIZER_FORMS =
  "sgd:LR[,momentum=M][,nesterov] | adam:LR[,b1=B1][,b2=B2][,eps=E] | adamw:LR[,weight-decay=W]";
export const SCHEDULE_FORMS = "constant | step:EVERY:GAMMA | exp:GAMMA | cosine[:MIN_LR]";

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseClipText(text: string, option = "--clip"): ClipSpec {
  const [head, ...settings] = text.split(",").map((s) => s.trim());
  const [kind, arg, ...rest] = head!.split(":");
  if (kind === "none" && arg === undefined && settings.length === 0) return { kind: "none" };
  if (!(CLIP_KINDS as readonly string[]).includes(kind!)) {
    throw new InputError(`${option}: unknown clip kind "${kind}" (expected ${CLIP_FORMS})`);
  }
  if (arg === undefined || rest.length > 0) {
    throw new InputError(`${option}: expected ${CLIP_FORMS}, got "${text}"`);
  }
  const spec = { kind, threshold: number(option, arg), ...named(option, kind!, settings) };
  return check(clipSpecSchema(), spec, option, text, CLIP_FORMS);
}

export function parseOptimizerText(text: string, option = "--optimizer"): OptimizerSpec {
  const [head, ...settings] = text.split(",").map((s) => s.trim());
  const [name, lr, ...rest] = head!.split(":");
  if (!(OPTIMIZER_NAMES as readonly string[]).includes(name!)) {
    throw new InputError(`${option}: unknown optimizer "${name}" (expected ${OPTIMIZER_FORMS})`);
  }
  if (lr === undefined || lr === "" || rest.length > 0) {
    throw new InputError(`${option}: expected ${OPTIMIZER_FORMS}, got "${text}"`);
  }
  const spec = { name, lr: number(option, lr), ...named(option, name!, settings) };
  return check(optimizerSpecSchema(), spec, option, text, OPTIMIZER_FORMS);
}

/** `cosine:1e-4` → the schedule spec; `warmup` steps (from --warmup) are added when > 0. */
export function parseScheduleText(text: string, warmup = 0, option = "--schedule"): ScheduleSpec {
  const [kind, ...args] = text.split(":");
  const nums = args.map((a) => number(option, a));
  let spec: Record<string, unknown>;
  if (kind === "constant" && nums.length === 0) spec = { kind };
  else if (kind === "step" && nums.length === 2) spec = { kind, every: nums[0], gamma: nums[1] };
  else if (kind === "exp" && nums.length === 1) spec = { kind, gamma: nums[0] };
  else if (kind === "cosine" && nums.length <= 1) spec = { kind, minLr: nums[0] };
  else throw new InputError(`${option}: expected ${SCHEDULE_FORMS}, got "${text}"`);
  if (warmup > 0) spec.warmup = warmup;
  return check(scheduleSpecSchema(), spec, option, text, SCHEDULE_FORMS);
}

/** The text of a clip spec: `global-norm:1`, `zclip:2.5,warmup-steps=10`, `none`. */
export function clipLabel(spec: ClipSpec): string {
  if (spec.kind === "none") return "none";
  const { kind, threshold, ...settings } = spec;
  return [`${kind}:${threshold}`, ...settingsText(settings)].join(",");
}

/** The text of an optimizer spec: `sgd:0.1,momentum=0.9,nesterov`. */
export function optimizerLabel(spec: OptimizerSpec): string {
  const { name, lr, ...settings } = spec;
  return [`${name}:${lr}`, ...settingsText(settings)].join(",");
}

/** `{ momentum: 0.9, nesterov: true }` → `momentum=0.9`, `nesterov`, as the grammar writes them. */
function settingsText(settings: Record<string, unknown>): string[] {
  return Object.entries(settings)
    .filter(([, v]) => v !== undefined && v !== false)
    .map(([k, v]) => (v === true ? kebab(k) : `${kebab(k)}=${v}`));
}

function clipArgument(kind: (typeof CLIP_KINDS)[number]): string {
  if (kind === "value") return "A";
  if (kind === "agc") return "LAMBDA";
  if (kind === "autoclip") return "P";
  if (kind === "zclip") return "Z";
  return "C";
}

function number(option: string, text: string): number {
  if (!NUMBER.test(text.trim())) {
    throw new InputError(`${option}: expected a number, got "${text}"`);
  }
  return Number(text);
}

/** `momentum=0.9`, `nesterov`, `axis=rows` → { momentum: 0.9, nesterov: true, axis: "rows" }. */
function named(option: string, owner: string, settings: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of settings) {
    const i = s.indexOf("=");
    const key = camel(i < 0 ? s : s.slice(0, i));
    if (key === "kind" || key === "name" || key === "threshold" || key === "lr" || key === "") {
      throw new InputError(`${option}: unknown ${owner} setting "${s}"`);
    }
    if (i < 0) out[key] = true;
    else {
      const v = s.slice(i + 1).trim();
      out[key] = NUMBER.test(v) ? Number(v) : v === "true" ? true : v === "false" ? false : v;
    }
  }
  return out;
}

/** Validates with the schema; the message names the option, the setting and the text. */
function check<S extends z.ZodType>(
  schema: S,
  value: Record<string, unknown>,
  option: string,
  text: string,
  forms: string,
) {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data as z.output<S>;
  const issue = parsed.error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const owner = String(value.kind ?? value.name);
    throw new InputError(
      `${option}: unknown ${owner} setting "${kebab(issue.keys[0]!)}" (in "${text}"; expected ${forms})`,
    );
  }
  const key = issue.path.length > 0 ? `${kebab(String(issue.path[0]))}: ` : "";
  throw new InputError(`${option}: ${key}${issue.message} (in "${text}")`);
}

const camel = (s: string) => s.trim().replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
