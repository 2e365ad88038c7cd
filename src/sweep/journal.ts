import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  truncateSync,
  writeSync,
} from "node:fs";
import { InputError } from "../core/errors.js";
import type { RunRecord } from "./record.js";
import { type RunSpec, runKey } from "./spec.js";

/**
 * The resume journal: one JSON line per finished run, `{"v":1,"key":…,"spec":…,"record":…}`,
 * appended and fsync'd as soon as the run finishes, so a sweep killed at any moment (even
 * SIGKILL) loses at most the runs in flight. A rerun with the same journal skips every run
 * whose key it holds.
 *
 * Reading is forgiving where a kill can leave damage and strict nowhere else: a last line
 * without its newline (torn by the kill) is dropped and cut off the file before appending;
 * lines that do not parse, or whose key is not the hash of their spec, are counted and
 * ignored; a key seen twice keeps its first line.
 */
export interface JournalEntry {
  v: 1;
  key: string;
  spec: RunSpec;
  record: RunRecord;
}

export interface Journal {
  path: string;
  /** Entries read at opening, by key (first occurrence). */
  entries: ReadonlyMap<string, JournalEntry>;
  /** Bytes of a torn last line that were cut off (0 if none). */
  tornBytes: number;
  /** Complete lines ignored: unparsable, wrong shape, key not matching the spec, or repeats. */
  ignoredLines: number;
  append(entry: JournalEntry): void;
  close(): void;
}

export function openJournal(path: string): Journal {
  const entries = new Map<string, JournalEntry>();
  let tornBytes = 0;
  let ignoredLines = 0;
  if (existsSync(path)) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      throw new InputError(`--resume: cannot read ${path}: ${(error as Error).message}`);
    }
    const end = bytes.lastIndexOf(0x0a) + 1;
    if (end < bytes.length) {
      tornBytes = bytes.length - end;
      truncateSync(path, end);
    }
    const text = bytes.subarray(0, end).toString("utf8");
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      const entry = parseEntry(line);
      if (entry === null || entries.has(entry.key)) ignoredLines++;
      else entries.set(entry.key, entry);
    }
  }
  let fd: number;
  try {
    fd = openSync(path, "a");
  } catch (error) {
    throw new InputError(`--resume: cannot open ${path}: ${(error as Error).message}`);
  }
  return {
    path,
    entries,
    tornBytes,
    ignoredLines,
    append(entry) {
      writeSync(fd, `${JSON.stringify(entry)}\n`);
      fsyncSync(fd);
    },
    close() {
      closeSync(fd);
    },
  };
}

function parseEntry(line: string): JournalEntry | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const e = value as Partial<JournalEntry>;
  if (e.v !== 1 || typeof e.key !== "string" || typeof e.spec !== "object" || e.spec === null)
    return null;
  if (typeof e.record !== "object" || e.record === null) return null;
  try {
    if (runKey(e.spec) !== e.key) return null;
  } catch {
    return null;
  }
  return e as JournalEntry;
}
