import cliProgress from "cli-progress";
import type { EpochRecord } from "../train/history.js";
import { sci } from "./format.js";
import type { CliIO } from "./io.js";

/**
 * Training progress: a progress bar on a terminal, plain lines every `logEvery` epochs
 * otherwise (CI logs, pipes; `train` calls onLog every logEvery epochs). Returns the callbacks for `train` and a `stop` to call after.
 */
export function progressReporter(io: CliIO, epochs: number) {
  const line = (r: EpochRecord): string =>
    `epoch ${r.epoch}/${epochs}  loss ${sci(r.loss)}  grad norm ${sci(r.gradNorm)} -> ${sci(r.clippedNorm)}` +
    `  clipped ${Math.round(100 * r.clipFraction)}%  lr ${sci(r.lr, 2)}`;
  if (!io.isTTY || !io.stderr) {
    return { onEpoch: undefined, onLog: (r: EpochRecord) => io.err(line(r)), stop: () => {} };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderr,
      format: "{bar} {value}/{total} epochs | loss {loss} | clipped {clipped}",
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(epochs, 0, { loss: "-", clipped: "-" });
  // A redraw per epoch costs more than a small model's epoch; 10 a second is all anyone reads.
  let last = 0;
  return {
    onEpoch: (r: EpochRecord) => {
      const now = performance.now();
      if (now - last < 100 && r.epoch + 1 < epochs) return;
      last = now;
      bar.update(r.epoch + 1, {
        loss: sci(r.loss),
        clipped: `${Math.round(100 * r.clipFraction)}%`,
      });
    },
    onLog: undefined,
    stop: () => bar.stop(),
  };
}
