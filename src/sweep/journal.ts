import { type JobJournal, type JournalEntry, openJournal } from "../batch/journal.js";
import { runRecordSchema, runSpecSchema } from "./journal-schema.js";
import type { RunRecord } from "./record.js";
import { type RunSpec, runKey } from "./spec.js";

/**
 * The sweep's resume journal: the batch journal (src/batch/journal.ts) with one line per
 * finished run, `{"v":1,"key":…,"request":<run spec>,"result":<run record>}`. Every line read
 * back must match the run spec and record schemas, and its key must be the hash of its spec
 * (so an edited spec cannot pass for another run); other lines are counted and ignored.
 */
export type SweepJournal = JobJournal<RunSpec, RunRecord>;
export type SweepJournalEntry = JournalEntry<RunSpec, RunRecord>;

export function openSweepJournal(path: string): SweepJournal {
  return openJournal(path, {
    request: runSpecSchema,
    result: runRecordSchema,
    verify: (entry) =>
      runKey(entry.request) === entry.key
        ? null
        : `key: ${entry.key} is not the hash of the run's spec`,
  });
}
