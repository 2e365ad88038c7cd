import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { beginReplaceFile } from "../../src/io/replace-file-stream.js";

// The texts are encoded piece by piece into a reused buffer: the file must hold the bytes of
// their concatenation, also across flushes and for a surrogate pair split between two texts.
function written(texts: (string | Uint8Array)[]): Buffer {
  const path = join(mkdtempSync(join(tmpdir(), "biograd-replace-")), "out.csv");
  const file = beginReplaceFile(path);
  for (const t of texts) file.write(t);
  file.commit();
  return readFileSync(path);
}

describe("beginReplaceFile", () => {
  it("writes the UTF-8 bytes of the texts' concatenation", () => {
    const texts = [
      "a,b\n",
      "é,ü\n",
      "\u{1f600}\n",
      "x".repeat(1 << 20),
      "y\n",
      "z".repeat(3 << 20),
    ];
    expect(written(texts).equals(Buffer.from(texts.join(""), "utf8"))).toBe(true);
  });

  it("writes bytes as they are, between strings, also across flushes", () => {
    const utf8 = (s: string) => new TextEncoder().encode(s);
    const texts = [
      "head,é\n",
      utf8("1,ü\n"),
      utf8("2,\u{1f600}\n"),
      "3,x\n",
      utf8("b".repeat(1 << 20)),
      "s".repeat(3 << 19),
      utf8("t"),
      new Uint8Array(0),
      "",
      utf8("end\n"),
    ];
    const expected = Buffer.concat(
      texts.map((t) => (typeof t === "string" ? Buffer.from(t, "utf8") : Buffer.from(t))),
    );
    expect(written(texts).equals(expected)).toBe(true);
  });

  it("ends half a surrogate pair at bytes as the file would (U+FFFD)", () => {
    const bytes = written(["a\ud83d", new TextEncoder().encode("b"), "\ude00c"]);
    expect(bytes.toString("utf8")).toBe("a\ufffdb\ufffdc");
  });

  it("keeps a surrogate pair split between two texts whole", () => {
    const texts = ["a\ud83d", "\ude00b", "c\ud83d"];
    const bytes = written(texts);
    expect(bytes.equals(Buffer.from(texts.join(""), "utf8"))).toBe(true);
    expect(bytes.subarray(1, 5).equals(Buffer.from("\u{1f600}", "utf8"))).toBe(true);
  });
});
