import { z } from "zod";
import { jsonPathText } from "../core/schema.js";
import type { JournalEntry, JournalSchemas } from "./journal.js";

/**
 * Keys are short printable names (a hash, a group id): no control characters, no huge strings.
 * Built with the parser (a run without a journal loads no zod, core/lazy-schema.ts).
 */
const key = () =>
  z
    .string()
    .min(1)
    .max(256)
    .regex(/^[\x21-\x7e]+$/, "expected printable ASCII without spaces");

/**
 * A parser of journal lines: each line parsed and checked: `{ok: true, entry}` or `{ok: false, problem}` where
 * the problem names the JSON path of the first bad field (`result.finalLoss: expected number,
 * received string`).
 */
export function journalLineParser<Req, Res>(
  schemas: JournalSchemas<Req, Res>,
): (line: string) => { ok: true; entry: JournalEntry<Req, Res> } | { ok: false; problem: string } {
  const schema = z.strictObject({
    v: z.literal(1),
    key: key(),
    request: schemas.request,
    result: schemas.result,
  });
  return (line) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return { ok: false, problem: "not JSON" };
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const path = jsonPathText(issue.path);
      return { ok: false, problem: `${path === "" ? "line" : path}: ${issue.message}` };
    }
    const entry = parsed.data as JournalEntry<Req, Res>;
    let problem: string | null;
    try {
      problem = schemas.verify?.(entry) ?? null;
    } catch (error) {
      problem = (error as Error).message;
    }
    return problem === null ? { ok: true, entry } : { ok: false, problem };
  };
}
