import { byId, el } from "./dom.js";
import type { ColumnInfo } from "./types.js";

/**
 * The column choosers: one x select per model variable (`x` for the first, `x-S`, `x-I`…
 * for the others), y, the grouping columns and, for training, the feature columns. Numeric
 * columns are offered for x and y; any column can group. Choices survive a model change
 * when the column is still there.
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
    const numeric = this.numeric();
    fill(this.y, numeric, numeric[numeric.length - 1]);
    fill(
      this.group,
      columns.map((c) => c.name),
    );
    for (const option of this.group.options) option.selected = false;
    fill(this.features, numeric);
    for (const option of this.features.options) {
      option.selected = option.value !== this.y.value;
    }
    this.renderX();
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

  private numeric(): string[] {
    const numeric = this.columns.filter((c) => c.type === "numeric").map((c) => c.name);
    return numeric.length > 0 ? numeric : this.columns.map((c) => c.name);
  }

  private xSelect(i: number): HTMLSelectElement | null {
    const id = i === 0 ? "x" : `x-${this.variables[i]}`;
    const node = document.getElementById(id);
    return node instanceof HTMLSelectElement ? node : null;
  }

  private renderX(): void {
    const numeric = this.numeric();
    const before = this.variables.map((_, i) => this.xSelect(i)?.value);
    const rows = this.variables.map((v, i) => {
      const id = i === 0 ? "x" : `x-${v}`;
      const select = el("select", { id });
      fill(select, numeric, before[i] ?? numeric[Math.min(i, numeric.length - 1)]);
      const label = this.variables.length === 1 ? "x (predictor)" : `x: column for ${v}`;
      return el("div", { class: "x-choice" }, el("label", { for: id }, label), select);
    });
    this.xSelects.replaceChildren(...rows);
  }
}

function fill(select: HTMLSelectElement, names: string[], chosen?: string): void {
  const keep = chosen ?? select.value;
  select.replaceChildren(...names.map((n) => new Option(n, n)));
  if (names.includes(keep)) select.value = keep;
}
