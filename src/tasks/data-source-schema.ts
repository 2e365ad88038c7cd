import { z } from "zod";
import { lazySchema } from "../core/lazy-schema.js";
import { MAX_NA_TOKENS, MAX_NAME } from "./fit-curve-limits.js";

/**
 * The schema of a task's data source (data-source.ts): a file on this machine, or columns
 * carried inside the request. In a module of its own so that code given a checked source
 * (`biograd fit`'s own request) reads it without building zod's schemas (a fit's start-up,
 * bench/startup/RESULTS.md). Each is built on first use (core/lazy-schema.ts).
 */
export const fileSourceSchema = lazySchema(() =>
  z
    .object({
      file: z.string().min(1),
      delimiter: z.string().optional(),
      na: z.array(z.string()).max(MAX_NA_TOKENS).optional(),
      /** An Excel workbook's sheet, by name (default the first); only for `.xlsx` files. */
      sheet: z.string().min(1).max(MAX_NAME).optional(),
    })
    .strict(),
);

export const inlineSourceSchema = lazySchema(() =>
  z
    .object({
      columns: z.record(z.string(), z.array(z.union([z.number(), z.string(), z.null()]))),
      name: z.string().optional(),
    })
    .strict(),
);

export const dataSourceSchema = lazySchema(() => z.union([fileSourceSchema, inlineSourceSchema]));
