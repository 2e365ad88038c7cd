import { describe, expect, it } from "vitest";
import { NaMatch } from "../../src/data/na-match.js";

const at = (na: NaMatch, line: string, field: string) => {
  const b = Buffer.from(line, "utf8");
  const from = b.indexOf(Buffer.from(field, "utf8"));
  return na.has(b, from, from + Buffer.byteLength(field));
};

describe("NaMatch", () => {
  it("matches a field equal to a trimmed token, bytes for bytes", () => {
    const na = new NaMatch([" NA ", "n/a", "–", "缺失"]);
    expect(na.empty).toBe(false);
    expect(na.exact).toBe(true);
    expect(at(na, "x,NA,y", "NA")).toBe(true);
    expect(at(na, "x,n/a,y", "n/a")).toBe(true);
    expect(at(na, "x,–,y", "–")).toBe(true);
    expect(at(na, "x,缺失,y", "缺失")).toBe(true);
    expect(at(na, "x,NAN,y", "NAN")).toBe(false);
    expect(at(na, "x,N,y", "N")).toBe(false);
    expect(at(na, "x,na,y", "na")).toBe(false);
    expect(at(na, "x,-,y", "-")).toBe(false);
    const b = Buffer.from("NA,", "latin1");
    expect(na.has(b, 0, 0)).toBe(false);
  });

  it("has none without tokens, and says when bytes are not text for a token", () => {
    expect(new NaMatch([]).empty).toBe(true);
    expect(new NaMatch([]).has(Buffer.from("NA"), 0, 2)).toBe(false);
    expect(new NaMatch(["\uFFFD"]).exact).toBe(false);
    expect(new NaMatch(["a\uD800"]).exact).toBe(false);
    expect(new NaMatch([""]).has(Buffer.from(",,"), 1, 1)).toBe(true);
  });
});
