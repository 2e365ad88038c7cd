/**
 * Where things are in a model file. The text is read by the `yaml` package (JSON is YAML
 * too, so `.json` files get positions the same way); a SourceMap answers "which line and
 * column holds the value at this path?" so that every message can start with
 * `file:line:column:`. A document without text (an object given to compileOdeModel) has an
 * empty map and messages start with the file name only.
 */
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, Scalar } from "yaml";
import { InputError } from "../../core/errors.js";

export type Path = readonly (string | number)[];

export interface SourceMap {
  /** `file:line:col` of the value at `path` (or of the nearest enclosing node), or `file`. */
  where(path: Path, offsetInValue?: number): string;
  /** `file:line:col` of the key at `path` (its last segment), or of the value when none. */
  whereKey(path: Path): string;
}

/** A map for a document given as an object: positions are unknown. */
export function noPositions(source: string): SourceMap {
  return { where: () => source, whereKey: () => source };
}

/** Parses YAML (or JSON) text: the plain value and its source map; bad syntax is one line. */
export function parseModelText(text: string, source: string): { doc: unknown; map: SourceMap } {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const bad = document.errors[0];
  if (bad !== undefined) {
    const { line, col } = lines.linePos(bad.pos[0]);
    // The yaml package's messages run over several lines (with a code excerpt): keep the first.
    const first =
      bad.code === "MULTIPLE_DOCS"
        ? "a model file holds one document (remove the second ---)"
        : bad.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    throw new InputError(`${source}:${line}:${col}: invalid YAML: ${first}`);
  }
  const at = (offset: number): string => {
    const { line, col } = lines.linePos(offset);
    return `${source}:${line}:${col}`;
  };
  /** The deepest node along `path`, and the pair key of its last step when it has one. */
  const walk = (path: Path): { node: Node | null; key: Node | null } => {
    let node = document.contents as Node | null;
    let key: Node | null = null;
    for (const step of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === step);
        if (pair === undefined) break;
        key = pair.key as Node;
        node = (pair.value as Node | null) ?? key;
      } else if (isSeq(node) && typeof step === "number" && node.items[step] !== undefined) {
        key = null;
        node = node.items[step] as Node;
      } else {
        break;
      }
    }
    return { node, key };
  };
  const map: SourceMap = {
    where(path, offsetInValue = 0) {
      const { node } = walk(path);
      if (node?.range === undefined || node.range === null) return source;
      const raw = text.slice(node.range[0], node.range[1]);
      return at(node.range[0] + offsetInScalar(node, raw, offsetInValue));
    },
    whereKey(path) {
      const { node, key } = walk(path);
      const target = key ?? node;
      if (target?.range === undefined || target.range === null) return source;
      return at(target.range[0]);
    },
  };
  return { doc: document.toJS(), map };
}

/**
 * Offset in the file of character `offset` of a scalar's value: exact for plain scalars and
 * quoted ones without escapes on one line (the usual case for formulas); the scalar's start
 * otherwise.
 */
function offsetInScalar(node: Node, raw: string, offset: number): number {
  if (offset === 0 || !isScalar(node) || raw.includes("\n")) return 0;
  if (node.type === Scalar.PLAIN) return offset;
  const inner = raw.slice(1, -1);
  if (node.type === Scalar.QUOTE_DOUBLE && !inner.includes("\\")) return offset + 1;
  if (node.type === Scalar.QUOTE_SINGLE && !inner.includes("'")) return offset + 1;
  return 0;
}
