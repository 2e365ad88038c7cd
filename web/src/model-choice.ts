import { type Api, ApiError } from "./api.js";
import { byId, el, show } from "./dom.js";
import { clearError, showError, showFormulaError } from "./field-errors.js";
import type { FormulaCheck, ModelInfo } from "./types.js";

/**
 * The model: a library model (GET /api/models) or a formula typed in, checked as it is typed
 * (POST /api/check/formula, a quarter of a second after the last key) with the compiler's
 * message and position shown under the field. Tells the page the model's parameters and
 * variables whenever they change.
 */
export const FORMULA = "(formula)";

export interface ModelShape {
  parameters: string[];
  variables: string[];
  library: boolean;
}

export class ModelChoice {
  models: ModelInfo[] = [];
  private readonly select = byId("model", HTMLSelectElement);
  private readonly formula = byId("formula", HTMLInputElement);
  private readonly description = byId("model-description", HTMLElement);
  private timer: number | undefined;
  /** Answers to older checks are dropped: only the latest formula's counts. */
  private asked = 0;

  constructor(
    private readonly api: Api,
    /** What the check needs besides the formula: its x columns, and constants if any. */
    private readonly checkContext: (formula: string) => Record<string, unknown>,
    private readonly onShape: (shape: ModelShape) => void,
  ) {
    this.select.addEventListener("change", () => this.changed());
    this.formula.addEventListener("input", () => this.scheduleCheck());
  }

  async load(): Promise<void> {
    this.models = await this.api.get<ModelInfo[]>("/api/models");
    const options = this.models.map((m) => new Option(`${m.name}: ${m.formula}`, m.name));
    this.select.replaceChildren(...options, new Option("a formula of my own…", FORMULA));
    this.changed();
  }

  /** The request's `model`: a library name or the formula's text. */
  value(): string {
    return this.isFormula() ? this.formula.value.trim() : this.select.value;
  }

  isFormula(): boolean {
    return this.select.value === FORMULA;
  }

  /** Check the formula again (the x columns changed). */
  recheck(): void {
    if (this.isFormula()) this.scheduleCheck(0);
  }

  private changed(): void {
    const formula = this.isFormula();
    show(byId("formula-row", HTMLElement), formula);
    clearError("model");
    if (formula) {
      this.description.replaceChildren(
        "Parameters are the names that are not columns, x or constants.",
      );
      this.scheduleCheck(0);
      return;
    }
    clearError("formula");
    const model = this.models.find((m) => m.name === this.select.value);
    if (!model) return;
    this.description.replaceChildren(el("code", {}, model.formula), ` — ${model.description}`);
    this.onShape({ parameters: model.parameters, variables: model.variables, library: true });
  }

  private scheduleCheck(delay = 250): void {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.check(), delay);
  }

  private async check(): Promise<void> {
    const text = this.formula.value;
    if (text.trim() === "") {
      clearError("formula");
      return;
    }
    const ticket = ++this.asked;
    let answer: FormulaCheck;
    try {
      answer = await this.api.post<FormulaCheck>("/api/check/formula", {
        formula: text,
        ...this.checkContext(text),
      });
    } catch (error) {
      if (ticket !== this.asked) return;
      const message = error instanceof Error ? error.message : String(error);
      showError(error instanceof ApiError ? (error.field ?? "formula") : "formula", message);
      return;
    }
    if (ticket !== this.asked) return;
    if (answer.ok) {
      clearError("formula");
      this.onShape({ parameters: answer.parameters, variables: answer.variables, library: false });
    } else {
      showFormulaError(text, answer.message, answer.position);
    }
  }
}
