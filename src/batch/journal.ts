import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  truncateSync,
  writeSync,
} from "node:fs";
import type { z } from "zod";
import { InputError } from "../core/errors.js";
import type { Job } from "./job.js";
import { journalLineParser } from "./journal-line.js";

/**
 * An append-only journal of finished jobs: one JSON line per job,
 * `{"v":1,"key":…,"request":…,"result":…}`, written and fsync'd as soon as the job
 * finishes, so a batch killed at any moment (even SIGKILL) loses at most the jobs in flight.
 * A rerun with the same journal skips every job whose key it holds.
 *
 * Reading is forgiving where a kill can leave damage and strict everywhere else: a last line
 * without its newline (torn by the kill) is dropped and cut off the file before appending;
 * every complete line is checked against the caller's schemas (request and result) and the
 * caller's own check (`verify`, e.g. the key is the request's hash) — a line that fails is
 * ignored and counted, never passed on; a key seen twice keeps its first line.
 */
export interface JournalEntry<Req, Res> {
  v: 1;
  key: string;
  request: Req;
  result: Res;
}

export interface JournalSchemas<Req, Res> {
  request: z.ZodType<Req>;
  result: z.ZodType<Res>;
  /** A further check of a well-formed entry: a problem to report, or null when it is fine. */
  verify?: (entry: JournalEntry<Req, Res>) => string | null;
  /** Lines longer than this are ignored unparsed (default 16 MiB). */
  maxLineBytes?: number;
  /**
   * A result's JSON text as a line holds it (default `JSON.stringify`): for a result that
   * carries its text already (made on a worker thread) and is no plain JSON itself. Whatever
   * it returns must read back through `result`.
   */
  resultText?: (result: Res) => string;
}

export interface JobJournal<Req, Res> {
  readonly path: string;
  /** Entries read at opening, by key (first occurrence). */
  readonly entries: ReadonlyMap<string, JournalEntry<Req, Res>>;
  /** Bytes of a torn last line that were cut off (0 if none). */
  readonly tornBytes: number;
  /** Complete lines ignored: not JSON, wrong shape or values, failed `verify`, or repeats. */
  readonly ignoredLines: number;
  /** The first ignored line's problem (`line 3: result.finalLoss: …`), or null. */
  readonly firstProblem: string | null;
  append(job: Job<Req>, result: Res): void;
  close(): void;
}

export function openJournal<Req, Res>(
  path: string,
  schemas: JournalSchemas<Req, Res>,
): JobJournal<Req, Res> {
  const entries = new Map<string, JournalEntry<Req, Res>>();
  let tornBytes = 0;
  let ignoredLines = 0;
  let firstProblem: string | null = null;
  const ignore = (line: number, problem: string) => {
    ignoredLines++;
    firstProblem ??= `line ${line}: ${problem}`;
  };
  if (existsSync(path)) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      throw new InputError(`${path}: cannot read the journal: ${(error as Error).message}`);
    }
    const end = bytes.lastIndexOf(0x0a) + 1;
    const lines = bytes.subarray(0, end).toString("utf8").split("\n");
    const maxBytes = schemas.maxLineBytes ?? 16 * 1024 * 1024;
    const parse = journalLineParser(schemas);
    for (const [i, line] of lines.entries()) {
      if (line.trim() === "") continue;
      const parsed =
        line.length > maxBytes
          ? { ok: false as const, problem: `longer than ${maxBytes} bytes` }
          : parse(line);
      if (!parsed.ok) ignore(i + 1, parsed.problem);
      else if (entries.has(parsed.entry.key)) ignore(i + 1, `key ${parsed.entry.key} repeated`);
      else entries.set(parsed.entry.key, parsed.entry);
    }
    // Only a journal is cut and appended to: a file given by mistake (a CSV, a pretty-printed
    // result, text) has no line that is a JSON object, or an unfinished last line that cannot
    // start one; it is refused and left exactly as it was.
    const torn = bytes.subarray(end);
    const objectLine = (l: string) => {
      try {
        const v: unknown = JSON.parse(l);
        return typeof v === "object" && v !== null && !Array.isArray(v);
      } catch {
        return false;
      }
    };
    const anyLine = lines.some((l) => l.trim() !== "");
    const tornOk = torn.length === 0 || torn.toString("utf8").trimStart().startsWith("{");
    if ((anyLine && entries.size === 0 && !lines.some(objectLine)) || !tornOk) {
      throw new InputError(
        `${path}: not a biograd journal (no line is a JSON record); give a new file or a journal this command wrote`,
      );
    }
    if (torn.length > 0) {
      tornBytes = torn.length;
      truncateSync(path, end);
    }
  }
  let fd: number;
  try {
    fd = openSync(path, "a");
  } catch (error) {
    throw new InputError(`${path}: cannot open the journal: ${(error as Error).message}`);
  }
  return {
    path,
    entries,
    tornBytes,
    ignoredLines,
    firstProblem,
    append(job, result) {
      const entry: JournalEntry<Req, Res> = { v: 1, key: job.key, request: job.request, result };
      // With resultText: the text JSON.stringify would give the entry with that result.
      const text = schemas.resultText
        ? `${JSON.stringify({ ...entry, result: 0 }).slice(0, -2)}${schemas.resultText(result)}}`
        : JSON.stringify(entry);
      const line = Buffer.from(`${text}\n`, "utf8");
      // A short write would leave a partial line that the next append joins: write it all.
      for (let at = 0; at < line.length; ) at += writeSync(fd, line, at, line.length - at);
      fsyncSync(fd);
    },
    close() {
      closeSync(fd);
    },
  };
}
