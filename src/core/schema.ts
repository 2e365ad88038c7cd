import type { z } from "zod";
import { InputError } from "./errors.js";

/**
 * Validates `value` (a request, or a file biograd reads back) with a zod schema. A failure is
 * one InputError naming where the value came from and the JSON path of the first bad field:
 *   `request: parameters[2].start: expected number, received string`
 *   `fit.json: result.estimates.Km: expected number, received null`
 * so every front end (CLI, server, worker) reports bad input the same way.
 */
export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  source: string,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  // zod's generic "Invalid input: " adds nothing to the path and the expectation after it.
  const message = issue.message.replace(/^Invalid input: /, "");
  throw new InputError(`${source}: ${jsonPath(issue.path)}${message}`);
}

/** `parameters[2].start: ` for a path, "" for the root. */
export function jsonPath(path: readonly PropertyKey[]): string {
  const text = jsonPathText(path);
  return text === "" ? "" : `${text}: `;
}

/**
 * A JSON path as text: `runs[3].spec.x`, with keys that are not identifiers quoted
 * (`columns["conc (uM)"]`), "" for the root. Shared by every reader of JSON so that all
 * messages name fields the same way.
 */
export function jsonPathText(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(p))) out += out ? `.${String(p)}` : String(p);
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out;
}
