/**
 * A named biological model: a formula (compiled by src/formula) with self-starting initial
 * estimates computed from the data, in the manner of R's selfStart models.
 */
export interface LibraryModel {
  /** CLI name, lower case, e.g. "michaelis-menten". */
  readonly name: string;
  /** Other names `findModel` accepts, e.g. "mm". */
  readonly aliases?: readonly string[];
  readonly title: string;
  /** The formula in src/formula syntax, over `params`, `variables` and `constants`. */
  readonly formula: string;
  /** Parameter names in the order of θ. */
  readonly params: readonly string[];
  /** Data columns, usually ["x"]; the inhibition models take ["S", "I"]. */
  readonly variables: readonly string[];
  /** Each parameter's meaning, with a unit hint. */
  readonly meaning: Readonly<Record<string, string>>;
  /** Parameters that must stay > 0 (the fitter log-reparameterises them). */
  readonly positive?: readonly string[];
  /**
   * Named constants the formula needs and the user supplies (`--const Dose=100`), with
   * their meaning. selfStart receives them as its third argument.
   */
  readonly constants?: Readonly<Record<string, string>>;
  /** Literature reference(s): author, year, title, journal. */
  readonly reference: string;
  /** The self-start rule in one sentence (docs/MODELS.md repeats it). */
  readonly selfStartRule: string;
  /**
   * Initial estimates from the data: finite for any data with at least one finite row,
   * and > 0 for every parameter in `positive`. Rows with a non-finite value are ignored;
   * x need not be sorted and may repeat. `columns` are in the order of `variables`.
   */
  selfStart(
    columns: readonly Float64Array[],
    y: Float64Array,
    constants?: Readonly<Record<string, number>>,
  ): Record<string, number>;
}
