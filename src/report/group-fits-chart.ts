import { InputError } from "../core/errors.js";
import { parseWith } from "../core/schema.js";
import { readGroupedRows } from "../tasks/fit-groups-data.js";
import {
  type GroupPoints,
  groupCurvesSpec,
  MAX_OVERLAY_GROUPS,
  MAX_PANEL_GROUPS,
} from "./group-curves-spec.js";
import { groupsSummarySpec } from "./groups-summary-spec.js";
import { groupCurvesSchema, groupFitsSchema } from "./result-schemas.js";
import type { ChartSpec } from "./theme.js";

/**
 * The chart of a saved grouped fit: a handful of groups (≤ 8) overlaid with a legend, up to
 * 48 as one panel each, more as the summary (potency distribution, flag counts). The curves
 * are drawn with the data the fit read, read again from the file its request names.
 */
export function groupFitsChart(doc: unknown, where: string): ChartSpec {
  const summary = parseWith(groupFitsSchema, doc, where);
  const count = summary.groups.length;
  if (count > MAX_PANEL_GROUPS) return groupsSummarySpec(summary);
  const fits = parseWith(groupCurvesSchema, doc, where);
  if (fits.model.variables.length !== 1) {
    // A curve per group needs one x; a many-variable model gets the summary.
    return groupsSummarySpec(summary);
  }
  const request = fits.settings.request;
  let rows: ReturnType<typeof readGroupedRows>;
  try {
    rows = readGroupedRows(request.data, request.group, [fits.model.columns[0]!, request.y]);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new InputError(
      `${where}: settings.request.data.file: the data of the fit are needed to draw it: ${e.message}`,
    );
  }
  const byKey = new Map(rows.keys.map((k, g) => [JSON.stringify(k), g]));
  const data: GroupPoints[] = fits.groups.map((g, i) => {
    const at = byKey.get(JSON.stringify(g.group));
    if (at === undefined) {
      throw new InputError(
        `${where}: groups[${i}].group: ${g.group.join(",")} is not a group of ${rows.source} any more (was the file changed since the fit?)`,
      );
    }
    const from = rows.offsets[at]!;
    const to = rows.offsets[at + 1]!;
    return { x: rows.columns[0]!.subarray(from, to), y: rows.columns[1]!.subarray(from, to) };
  });
  return groupCurvesSpec(fits, data, {
    layout: count <= MAX_OVERLAY_GROUPS ? "overlay" : "panels",
    xTitle: fits.model.columns[0]!,
    yTitle: request.y,
  });
}
