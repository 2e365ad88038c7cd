import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import type { EpochRecord } from "./history.js";
import { toJsonRecord } from "./train-checkpoint.js";

/** Bytes gathered before a write, so millions of epochs cost few system calls. */
const FLUSH_AT = 1 << 16;

export interface HistoryStream {
  /** Appends one JSON line for the epoch (pass it as the trainer's `onEpoch`). */
  onEpoch: (record: EpochRecord) => void;
  /** Writes what is buffered, fsyncs and closes the file. */
  close: () => void;
}

/**
 * Streams every epoch record to a JSON-lines file, one object per line, numbers encoded as in
 * checkpoints (NaN and ±Infinity as strings), while the trainer keeps only a thinned history in
 * memory. `append: true` continues an existing file (e.g. after `resumeFrom`).
 */
export function openHistoryStream(path: string, options: { append?: boolean } = {}): HistoryStream {
  const fd = openSync(path, options.append ? "a" : "w");
  let buffer = "";
  let open = true;
  const flush = () => {
    if (buffer.length > 0) writeSync(fd, buffer);
    buffer = "";
  };
  return {
    onEpoch(record) {
      buffer += `${JSON.stringify(toJsonRecord(record))}\n`;
      if (buffer.length >= FLUSH_AT) flush();
    },
    close() {
      if (!open) return;
      open = false;
      try {
        flush();
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    },
  };
}
