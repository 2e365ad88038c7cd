import { byId, el } from "./dom.js";
import { showError } from "./field-errors.js";

/**
 * The parameters table: per parameter a start value (empty: the library model's self-start),
 * lower and upper bounds (empty: none), whether it is fixed at its start, and — for grouped
 * fits — whether it is shared by all groups. Values typed in survive a change of model for
 * the names that stay.
 */
export interface ParameterSettings {
  start?: Record<string, number>;
  fix?: Record<string, number>;
  bounds?: Record<string, { lower?: number | null; upper?: number | null }>;
  share?: string[];
}

export class ParamsTable {
  private readonly table = byId("params", HTMLTableElement);
  private names: string[] = [];
  private grouped = false;

  set(names: string[]): void {
    const kept = new Map(this.names.map((n) => [n, this.values(n)]));
    this.names = names;
    const head = el(
      "tr",
      {},
      el("th", { scope: "col" }, "name"),
      el("th", { scope: "col" }, "start"),
      el("th", { scope: "col" }, "lower"),
      el("th", { scope: "col" }, "upper"),
      el("th", { scope: "col" }, "fixed"),
      el("th", { scope: "col", class: "share" }, "shared"),
    );
    const rows = names.map((name) => {
      const old = kept.get(name);
      const input = (kind: string, value = "") =>
        el("input", {
          id: `${kind}-${name}`,
          type: "text",
          inputmode: "decimal",
          value,
          "aria-label": `${kind} of ${name}`,
          size: 8,
        });
      const check = (kind: string, on = false) =>
        el("input", {
          id: `${kind}-${name}`,
          type: "checkbox",
          checked: on,
          "aria-label": `${kind} ${name}`,
        });
      return el(
        "tr",
        {},
        el("th", { scope: "row" }, name),
        el("td", {}, input("start", old?.start)),
        el("td", {}, input("lower", old?.lower)),
        el("td", {}, input("upper", old?.upper)),
        el("td", {}, check("fixed", old?.fixed)),
        el("td", { class: "share" }, check("shared", old?.shared)),
      );
    });
    this.table.replaceChildren(el("thead", {}, head), el("tbody", {}, ...rows));
    this.setGrouped(this.grouped);
  }

  /** The shared column only means something when the rows are grouped. */
  setGrouped(grouped: boolean): void {
    this.grouped = grouped;
    for (const cell of this.table.querySelectorAll<HTMLElement>(".share")) cell.hidden = !grouped;
  }

  /** The settings as request fields, or null after showing what is wrong under the table. */
  read(): ParameterSettings | null {
    const start: Record<string, number> = {};
    const fix: Record<string, number> = {};
    const bounds: NonNullable<ParameterSettings["bounds"]> = {};
    const share: string[] = [];
    for (const name of this.names) {
      const v = this.values(name);
      const s = number(v.start);
      const lower = number(v.lower);
      const upper = number(v.upper);
      if (Number.isNaN(s))
        return fail("start", `start: ${name}: expected a number, got "${v.start}"`);
      if (Number.isNaN(lower))
        return fail("bounds", `bounds: ${name}: expected a number, got "${v.lower}"`);
      if (Number.isNaN(upper))
        return fail("bounds", `bounds: ${name}: expected a number, got "${v.upper}"`);
      if (v.fixed) {
        if (s === null) return fail("fix", `fix: ${name}: give the value to fix it at in start`);
        fix[name] = s;
      } else if (s !== null) start[name] = s;
      if (lower !== null || upper !== null) bounds[name] = { lower, upper };
      if (this.grouped && v.shared) share.push(name);
    }
    return {
      ...(Object.keys(start).length > 0 ? { start } : {}),
      ...(Object.keys(fix).length > 0 ? { fix } : {}),
      ...(Object.keys(bounds).length > 0 ? { bounds } : {}),
      ...(share.length > 0 ? { share } : {}),
    };
  }

  private values(name: string) {
    const text = (kind: string) =>
      (document.getElementById(`${kind}-${name}`) as HTMLInputElement | null)?.value.trim() ?? "";
    const on = (kind: string) =>
      (document.getElementById(`${kind}-${name}`) as HTMLInputElement | null)?.checked ?? false;
    return {
      start: text("start"),
      lower: text("lower"),
      upper: text("upper"),
      fixed: on("fixed"),
      shared: on("shared"),
    };
  }
}

/** Empty: null (not given); otherwise the number, NaN when it is not one. */
function number(text: string): number | null {
  if (text === "") return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : Number.NaN;
}

function fail(field: string, message: string): null {
  showError(field, message);
  return null;
}
