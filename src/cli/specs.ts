import { InputError } from "../core/errors.js";
import { adaptiveClip } from "../transforms/clip-adaptive-unitwise.js";
import { autoClip } from "../transforms/clip-auto.js";
import { clipByBlockRms } from "../transforms/clip-by-block-rms.js";
import { clipByGlobalNorm } from "../transforms/clip-by-global-norm.js";
import { clipByNorm } from "../transforms/clip-by-norm.js";
import { clipByValue } from "../transforms/clip-by-value.js";
import { zClip } from "../transforms/clip-zscore.js";
import type { NonFinitePolicy } from "../transforms/non-finite.js";
import { adam, adamw, sgd } from "../transforms/optimizers.js";
import {
  constant,
  cosineDecay,
  exponentialDecay,
  type Schedule,
  stepDecay,
  warmup,
} from "../transforms/schedules.js";
import type { AnyTransform } from "../transforms/types.js";

/**
 * Parsers for the CLI's compact specs (`--clip global-norm:1`, `--optimizer adam:0.001`,
 * `--schedule cosine`). Each bad spec is an InputError naming the option, the text and the
 * accepted forms; the transforms then check their own numeric domains.
 */

export const CLIP_FORMS =
  "value:A | norm:C | global-norm:C | global-norm-inf:C | block-rms:C | agc:LAMBDA | autoclip:P | zclip:Z | none";
export const OPTIMIZER_FORMS =
  "sgd:LR[,momentum=M][,nesterov] | adam:LR[,b1=B1][,b2=B2][,eps=E] | adamw:LR[,weight-decay=W]";
export const SCHEDULE_FORMS = "constant | step:EVERY:GAMMA | exp:GAMMA | cosine[:MIN_LR]";

export function parseNumber(option: string, text: string): number {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim())) {
    throw new InputError(`${option}: expected a number, got "${text}"`);
  }
  return Number(text);
}

export function parseInteger(option: string, text: string, min = Number.NEGATIVE_INFINITY): number {
  const n = parseNumber(option, text);
  if (!Number.isInteger(n) || n < min) {
    const expected = min === Number.NEGATIVE_INFINITY ? "an integer" : `an integer >= ${min}`;
    throw new InputError(`${option}: expected ${expected}, got "${text}"`);
  }
  return n;
}

export function parseClip(text: string, onNonFinite: NonFinitePolicy): AnyTransform | null {
  const [kind, arg, ...rest] = text.split(":");
  if (kind === "none" && arg === undefined) return null;
  if (arg === undefined || rest.length > 0) {
    throw new InputError(`--clip: expected ${CLIP_FORMS}, got "${text}"`);
  }
  const value = parseNumber("--clip", arg);
  switch (kind) {
    case "value":
      return clipByValue({ max: value, onNonFinite });
    case "norm":
      return clipByNorm({ maxNorm: value, onNonFinite });
    case "global-norm":
      return clipByGlobalNorm({ maxNorm: value, onNonFinite });
    case "global-norm-inf":
      return clipByGlobalNorm({ maxNorm: value, norm: "linf", onNonFinite });
    case "block-rms":
      return clipByBlockRms({ threshold: value, onNonFinite });
    case "agc":
      return adaptiveClip({ clipping: value, onNonFinite });
    case "autoclip":
      return autoClip({ percentile: value, onNonFinite });
    case "zclip":
      return zClip({ zThreshold: value, onNonFinite });
    default:
      throw new InputError(`--clip: unknown clip kind "${kind}" (expected ${CLIP_FORMS})`);
  }
}

/** `sgd:0.01,momentum=0.9` → the optimizer with `lr` (or the schedule when one is given). */
export function parseOptimizer(text: string, schedule?: (lr: number) => Schedule): AnyTransform {
  const [kind, argText] = splitOnce(text, ":");
  if (argText === undefined || argText === "") {
    throw new InputError(`--optimizer: expected ${OPTIMIZER_FORMS}, got "${text}"`);
  }
  const [lrText, ...settings] = argText.split(",");
  const lrValue = parseNumber("--optimizer", lrText!);
  const lr = schedule ? schedule(lrValue) : lrValue;
  const named = new Map<string, string | undefined>();
  for (const s of settings) {
    const [k, v] = splitOnce(s, "=");
    named.set(k, v);
  }
  const take = (key: string): number | undefined => {
    if (!named.has(key)) return undefined;
    const v = named.get(key);
    named.delete(key);
    if (v === undefined)
      throw new InputError(`--optimizer: ${kind} setting "${key}" needs a value (${key}=…)`);
    return parseNumber(`--optimizer ${kind} ${key}`, v);
  };
  let transform: AnyTransform;
  switch (kind) {
    case "sgd": {
      const nesterov = named.delete("nesterov") || undefined;
      transform = sgd({ lr, momentum: take("momentum"), nesterov });
      break;
    }
    case "adam":
      transform = adam({ lr, b1: take("b1"), b2: take("b2"), eps: take("eps") });
      break;
    case "adamw":
      transform = adamw({
        lr,
        b1: take("b1"),
        b2: take("b2"),
        eps: take("eps"),
        weightDecay: take("weight-decay"),
      });
      break;
    default:
      throw new InputError(
        `--optimizer: unknown optimizer "${kind}" (expected ${OPTIMIZER_FORMS})`,
      );
  }
  const unknown = [...named.keys()];
  if (unknown.length > 0) {
    throw new InputError(
      `--optimizer: unknown ${kind} setting "${unknown[0]}" (expected ${OPTIMIZER_FORMS})`,
    );
  }
  return transform;
}

/**
 * Returns a function from the optimizer's base lr to the schedule, for `parseOptimizer`;
 * undefined for a constant rate without warm-up (the optimizer then takes the plain number).
 */
export function parseSchedule(
  text: string,
  totalSteps: number,
  warmupSteps: number,
): ((lr: number) => Schedule) | undefined {
  const [kind, ...args] = text.split(":");
  const nums = args.map((a) => parseNumber("--schedule", a));
  const bad = (): never => {
    throw new InputError(`--schedule: expected ${SCHEDULE_FORMS}, got "${text}"`);
  };
  let base: (lr: number) => Schedule;
  const decaySteps = Math.max(totalSteps - warmupSteps, 1);
  if (kind === "constant" && nums.length === 0) {
    if (warmupSteps === 0) return undefined;
    base = (lr) => constant(lr);
  } else if (kind === "step" && nums.length === 2)
    base = (lr) => stepDecay({ lr, every: nums[0]!, gamma: nums[1]! });
  else if (kind === "exp" && nums.length === 1)
    base = (lr) => exponentialDecay({ lr, gamma: nums[0]! });
  else if (kind === "cosine" && nums.length <= 1)
    base = (lr) => cosineDecay({ lr, steps: decaySteps, minLr: nums[0] });
  else return bad();
  if (warmupSteps === 0) return base;
  return (lr) => warmup({ steps: warmupSteps, after: base(lr) });
}

function splitOnce(text: string, sep: string): [string, string | undefined] {
  const i = text.indexOf(sep);
  return i < 0 ? [text, undefined] : [text.slice(0, i), text.slice(i + 1)];
}
