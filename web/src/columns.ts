import { byId, el } from "./dom.js";
import type { ColumnInfo } from "./types.js";

/**
 * The column choosers: one x select per model variable (`x` for the first, `x-S`, `x-I`…
 * for the others), y, the grouping columns and, for training, the feature columns. Every
 * column is offered, its type shown when it is not numeric (a column with one bad cell reads
 * as text: choosing it gets the reader's message naming the cell). Defaults: x the first
 * numeric column, y the last column. Choices survive a model change when the column is
 * still there.
 */
export class ColumnChoice {
  private columns: ColumnInfo[] = [];
  private variables: string[] = ["x"];
  private library = true;
  private readonly xSelects = byId("x-selects", HTMLElement);
  private readonly y = byId("y", HTMLSelectElement);
  private readonly group = byId("group", HTMLSelectElement);
  private readonly features = byId("features", HTMLSelectElement);

  setColumns(columns: ColumnInfo[]): void {
    this.columns = columns;
    const names = columns.map((c) => c.name);
    fill(this.y, columns, names[names.length - 1]);
    fill(this.group, columns);
    for (const option of this.group.options) option.selected = false;
    fill(this.features, columns);
    for (const option of this.features.options) {
      const numeric = columns.find((c) => c.name === option.value)?.type === "numeric";
      option.selected = numeric && option.value !== this.y.value;
    }
    this.renderX(true);
  }

  /**
   * The model's variables (a formula's: what the check returned). A one-variable library
   * model takes its column as a list (`x: ["conc"]`), as `biograd fit --x conc` asks for it.
   */
  setVariables(variables: string[], library: boolean): void {
    this.library = library;
    const same =
      variables.length === this.variables.length &&
      variables.every((v, i) => v === this.variables[i]);
    this.variables = variables.length > 0 ? variables : ["x"];
    if (!same) this.renderX();
  }

  /** x as a request wants it: a list when each variable is its column, else a mapping. */
  x(): string[] | Record<string, string> {
    const chosen = this.variables.map((_, i) => this.xSelect(i)?.value ?? "");
    if (this.library && chosen.length === 1) return chosen;
    if (this.variables.every((v, i) => v === chosen[i])) return chosen;
    return Object.fromEntries(this.variables.map((v, i) => [v, chosen[i]!]));
  }

  /** The chosen x column of the first variable. */
  firstX(): string {
    return this.xSelect(0)?.value ?? "";
  }

  yColumn(): string {
    return this.y.value;
  }

  groups(): string[] {
    return [...this.group.selectedOptions].map((o) => o.value);
  }

  featureColumns(): string[] {
    return [...this.features.selectedOptions].map((o) => o.value).filter((f) => f !== this.y.value);
  }

  /** The default column of the i-th variable: the i-th numeric column that is not y. */
  private defaultX(i: number): string | undefined {
    const numeric = this.columns
      .filter((c) => c.type === "numeric" && c.name !== this.y.value)
      .map((c) => c.name);
    const all = numeric.length > 0 ? numeric : this.columns.map((c) => c.name);
    return all[Math.min(i, all.length - 1)];
  }

  private xSelect(i: number): HTMLSelectElement | null {
    const id = i === 0 ? "x" : `x-${this.variables[i]}`;
    const node = document.getElementById(id);
    return node instanceof HTMLSelectElement ? node : null;
  }

  /** The x selects, one per variable; `fresh`: a new file, so earlier choices are void. */
  private renderX(fresh = false): void {
    const names = this.columns.map((c) => c.name);
    const before = this.variables.map((_, i) => (fresh ? undefined : this.xSelect(i)?.value));
    const rows = this.variables.map((v, i) => {
      const id = i === 0 ? "x" : `x-${v}`;
      const select = el("select", { id });
      const keep = before[i];
      fill(
        select,
        this.columns,
        keep !== undefined && names.includes(keep) ? keep : this.defaultX(i),
      );
      const label = this.variables.length === 1 ? "x (predictor)" : `x: column for ${v}`;
      return el("div", { class: "x-choice" }, el("label", { for: id }, label), select);
    });
    this.xSelects.replaceChildren(...rows);
  }
}

/** The columns as options, a non-numeric one labelled with its type. */
function fill(select: HTMLSelectElement, columns: ColumnInfo[], chosen?: string): void {
  const keep = chosen ?? select.value;
  select.replaceChildren(
    ...columns.map(
      (c) => new Option(c.type === "numeric" ? c.name : `${c.name} (${c.type})`, c.name),
    ),
  );
  if (columns.some((c) => c.name === keep)) select.value = keep;
}
