/**
 * loadOdeModel: a `.yaml`, `.yml` or `.json` model file → an OdeModel, with every problem
 * placed at its line and column in the file.
 */
import { readFileSync } from "node:fs";
import { InputError } from "../../core/errors.js";
import { compileOdeModel } from "./compile.js";
import type { OdeModel, OdeModelOverrides } from "./model.js";
import { parseModelText } from "./source-map.js";

export function loadOdeModel(path: string, overrides: OdeModelOverrides = {}): OdeModel {
  const source = path;
  if (!/\.(ya?ml|json)$/i.test(path)) {
    throw new InputError(`${path}: expected a model file ending in .yaml, .yml or .json`);
  }
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "is a directory"
          : `cannot read (${code ?? "error"})`;
    throw new InputError(`${path}: ${why}`);
  }
  return parseOdeModel(text, source, overrides);
}

/** A model from its text (YAML or JSON), `source` naming it in messages. */
export function parseOdeModel(
  text: string,
  source: string,
  overrides: OdeModelOverrides = {},
): OdeModel {
  const { doc, map } = parseModelText(text, source);
  return compileOdeModel(doc, source, overrides, map);
}
