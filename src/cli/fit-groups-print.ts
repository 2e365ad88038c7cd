import type { FitGroupsResult, GroupsProgress } from "../tasks/fit-groups.js";
import type { GroupRow } from "../tasks/fit-groups-row.js";
import { table } from "./format.js";
import type { CliIO } from "./io.js";

export { groupsCsv, groupsCsvHeader, groupsCsvRows } from "../tasks/groups-csv.js";

/** Rows shown on stdout; the rest are in --out. */
export const SHOWN_GROUPS = 20;

/** The summary on stdout: counts, the first groups, the global fit and its comparison. */
export function printGroups(io: CliIO, result: FitGroupsResult): void {
  const { counts, model } = result;
  io.out(
    `${model.name} fitted to ${counts.groups} group${counts.groups === 1 ? "" : "s"} by ${result.data.group.join(",")}: ` +
      `${counts.fitted} fitted, ${counts.failed} failed, ${counts.flagged} flagged (${result.settings.engine} engine)`,
  );
  const head = [...result.data.group, "n", "converged", "rss", ...model.params, "flags / reason"];
  const show = (v: number | null) => (v === null ? "-" : Number(v.toPrecision(6)).toString());
  const rows = result.groups
    .slice(0, SHOWN_GROUPS)
    .map((r: GroupRow) => [
      ...r.group,
      String(r.n),
      r.converged ? "yes" : "no",
      show(r.rss),
      ...model.params.map((p) => show(r.estimate[p] ?? null)),
      [r.flags.join(";"), r.reason ?? ""].filter(Boolean).join(" | "),
    ]);
  io.out("");
  for (const line of table([head, ...rows])) io.out(line);
  const total = counts.groups - counts.notRun;
  if (total > SHOWN_GROUPS) {
    io.out(`… ${total - SHOWN_GROUPS} more groups (--out FILE for all)`);
  }
  const g = result.global;
  if (g === null) return;
  io.out("");
  io.out(
    `global fit, ${g.shared.join(", ")} shared: RSS ${show(g.rss)}, df ${g.df}, AICc ${show(g.aicc)}, ${g.converged ? "converged" : `not converged (${g.stopReason})`}`,
  );
  const shared = g.shared.map((name) => [
    name,
    show(g.estimate[name] ?? null),
    show(g.se[name] ?? null),
    `${show(g.lower[name] ?? null)} … ${show(g.upper[name] ?? null)}`,
  ]);
  for (const line of table([["parameter", "estimate", "se", "95% CI"], ...shared])) io.out(line);
  const c = g.comparison;
  if (c !== null) {
    io.out(
      `shared vs separate: F = ${show(c.F)} on ${c.df} and ${c.dfSeparate} df, p = ${show(c.p)}; ` +
        `ΔAICc (shared − separate) = ${show(c.deltaAICc)}, Akaike weight of shared = ${show(c.akaikeWeightShared)}`,
    );
    io.out(
      c.p < 0.05
        ? "the shared parameters differ between groups (p < 0.05)"
        : "no evidence that the shared parameters differ between groups (p ≥ 0.05)",
    );
  }
}

/**
 * Progress on stderr: a bar with rate and ETA on a terminal, else a plain line each tenth;
 * nothing with --quiet. For a file fitted while it is read, the total is estimated from the
 * bytes read so far ("about N chunks") and the bar's total follows it. cli-progress is loaded
 * for the bar only: a run whose stderr is not a terminal does not pay for it (start-up,
 * bench/startup/RESULTS.md).
 */
export async function groupsProgress(io: CliIO, quiet: boolean) {
  if (quiet) return { onProgress: undefined, stop: () => {} };
  if (!io.isTTY || !io.stderr) {
    let shown = 0;
    return {
      onProgress: (p: GroupsProgress) => {
        if (p.done < shown + Math.max(1, Math.floor(p.total / 10)) && p.done < p.total) return;
        shown = p.done;
        const reading = p.bytesRead !== undefined && p.bytesRead < p.bytesTotal!;
        const rate = p.rate === null ? "" : ` (${p.rate.toFixed(1)} chunks/s`;
        const eta =
          p.etaMs === null || p.done === p.total
            ? ""
            : `, about ${Math.ceil(p.etaMs / 1000)} s left`;
        const total = reading ? `about ${p.total}` : String(p.total);
        io.err(`fit: ${p.done}/${total} chunks done${rate}${rate ? `${eta})` : ""}`);
      },
      stop: () => {},
    };
  }
  const { default: cliProgress } = await import("cli-progress");
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderr,
      format: "{bar} {value}/{total} chunks | {rate}/s | ETA {eta_formatted}",
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress: (p: GroupsProgress) => {
      if (!started) {
        bar.start(p.total, p.done, { rate: "-" });
        started = true;
      } else if (p.bytesRead !== undefined) bar.setTotal(p.total);
      bar.update(p.done, { rate: p.rate === null ? "-" : p.rate.toFixed(1) });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
