import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { MODELS } from "../../../src/nls/library/index.js";

/** docs/MODELS.md describes every model exactly as the registry does (up to white space). */
const squash = (text: string) => text.replace(/\s+/g, " ");
const doc = squash(readFileSync(new URL("../../../docs/MODELS.md", import.meta.url), "utf8"));

describe.each(MODELS.map((m) => [m.name, m] as const))("docs/MODELS.md: %s", (_, model) => {
  test("has its section with formula, parameter meanings, self-start rule and reference", () => {
    expect(doc).toContain(`<a id="${model.name}"></a>`);
    expect(doc).toContain(`\`${model.formula}\``);
    for (const p of model.params) {
      expect(doc).toContain(squash(`| \`${p}\` | ${model.meaning[p]} |`));
    }
    expect(doc).toContain(squash(model.selfStartRule));
    expect(doc).toContain(squash(model.reference));
  });
});
