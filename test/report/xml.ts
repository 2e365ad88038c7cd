/**
 * A strict check that text is well-formed XML as an SVG renderer emits it (elements,
 * attributes in quotes, entities, comments, no DOCTYPE): every tag closes in order, one root.
 * Returns the element count by tag and class, for counting marks. Throws on the first fault.
 */
export function parseXml(text: string): { elements: { tag: string; cls: string }[] } {
  const stack: string[] = [];
  const elements: { tag: string; cls: string }[] = [];
  let roots = 0;
  const token =
    /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<\/([\w:-]+)\s*>|<([\w:-]+)((?:\s+[\w:-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)|(<)/g;
  for (const m of text.matchAll(token)) {
    if (m[6] !== undefined)
      throw new Error(`not XML at offset ${m.index}: ${text.slice(m.index, m.index + 40)}`);
    if (m[5] !== undefined) {
      if (stack.length === 0 && m[5].trim() !== "")
        throw new Error("text outside the root element");
      const bad = m[5].match(/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/);
      if (bad) throw new Error(`bad entity at offset ${m.index}`);
      continue;
    }
    if (m[1] !== undefined) {
      const open = stack.pop();
      if (open !== m[1]) throw new Error(`</${m[1]}> closes <${open}>`);
      continue;
    }
    if (m[2] !== undefined) {
      if (stack.length === 0 && ++roots > 1) throw new Error("more than one root element");
      const cls = /\sclass\s*=\s*"([^"]*)"/.exec(m[3] ?? "")?.[1] ?? "";
      elements.push({ tag: m[2], cls });
      if (m[4] !== "/") stack.push(m[2]);
    }
  }
  if (stack.length > 0) throw new Error(`<${stack.at(-1)}> is never closed`);
  if (roots !== 1) throw new Error("no root element");
  return { elements };
}

/** The number of marks Vega drew for the mark named `name` (its items inside the mark's group). */
export function countMarks(svg: string, name: string): number {
  const start = svg.indexOf(`role-mark ${name}_marks"`);
  if (start < 0) return 0;
  const open = svg.lastIndexOf("<g", start);
  // The mark's group holds one element per item and no nested group (symbols, paths, text).
  const end = svg.indexOf("</g>", start);
  const inner = svg.slice(svg.indexOf(">", start) + 1, end);
  if (open < 0 || inner.includes("<g")) throw new Error(`mark ${name} has nested groups`);
  return (inner.match(/<(path|text|rect|line)\b/g) ?? []).length;
}
