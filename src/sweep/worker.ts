import { executeReply, type WorkerReply } from "./execute.js";
import type { RunSpec } from "./spec.js";

/** The pool's worker entry (piscina calls the default export with each task). */
export default function sweepWorker(spec: RunSpec): Promise<WorkerReply> {
  return executeReply(spec);
}
