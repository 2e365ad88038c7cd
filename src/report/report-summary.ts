import { odeFitSummary } from "./ode-fit-summary.js";
import type { ResultKind } from "./result-chart.js";

/**
 * The summary tables of a result for the report, from its JSON (already checked by the
 * chart's schema): a fit's estimates and statistics, a run's outcome, a sweep's ranked table
 * and recommendation. Numbers are shown with 6 significant digits; missing ones as "-".
 */
export function resultSummary(
  kind: ResultKind,
  doc: Record<string, unknown>,
): { heading: string; tables: string[][][]; notes: string[] } {
  if (kind === "curve-fit") return fitSummary(doc as unknown as FitDoc);
  if (kind === "train") return trainSummary(doc as unknown as TrainDoc);
  if (kind === "group-fits") return groupsSummary(doc as unknown as GroupsDoc);
  if (kind === "ode-fit") return odeFitSummary(doc);
  return sweepSummary(doc as unknown as SweepDoc);
}

const num = (v: unknown): string =>
  typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toPrecision(6)) : "-";

interface FitDoc {
  data: { file: string; rows: number; y: string };
  model: { name: string; formula: string; params: string[] };
  result: {
    estimates: Record<string, number>;
    std_errors: Record<string, number | null>;
    conf_lower: Record<string, number | null>;
    conf_upper: Record<string, number | null>;
    conf_level: number;
    rss: number;
    sigma: number | null;
    df: number;
    r_squared: number | null;
    aic: number | null;
    converged: boolean;
    warnings: { message: string }[];
  };
}

function fitSummary(doc: FitDoc) {
  const r = doc.result;
  const level = `${Math.round(r.conf_level * 1000) / 10}%`;
  const params = [
    ["parameter", "estimate", "std. error", `${level} lower`, `${level} upper`],
    ...doc.model.params.map((p) => [
      p,
      num(r.estimates[p]),
      num(r.std_errors[p]),
      num(r.conf_lower[p]),
      num(r.conf_upper[p]),
    ]),
  ];
  const stats = [
    ["rows", "RSS", "residual s.e.", "df", "R²", "AIC", "converged"],
    [
      num(doc.data.rows),
      num(r.rss),
      num(r.sigma),
      num(r.df),
      num(r.r_squared),
      num(r.aic),
      String(r.converged),
    ],
  ];
  return {
    heading: `Fit: ${doc.data.y} ~ ${doc.model.name === "formula" ? doc.model.formula : `${doc.model.name}: ${doc.model.formula}`}`,
    tables: [params, stats],
    notes: [`data: ${doc.data.file}`, ...(r.warnings ?? []).map((w) => `Warning: ${w.message}`)],
  };
}

interface TrainDoc {
  transform?: string;
  stopReason?: string;
  epochs?: number;
  steps?: number;
  finalLoss?: number | null;
  data?: { source?: string; rows?: number };
  history: { epoch: unknown[] };
}

function trainSummary(doc: TrainDoc) {
  return {
    heading: "Training run",
    tables: [
      [
        [
          "data",
          "rows",
          "transform",
          "stopped",
          "epochs",
          "steps",
          "final loss",
          "epochs in history",
        ],
        [
          doc.data?.source ?? "-",
          num(doc.data?.rows),
          doc.transform ?? "-",
          doc.stopReason ?? "-",
          num(doc.epochs),
          num(doc.steps),
          num(doc.finalLoss),
          String(doc.history.epoch.length),
        ],
      ],
    ],
    notes: [],
  };
}

interface SweepDoc {
  table?: {
    rank: number;
    setting: string;
    runs: number;
    diverged: number;
    medianFinalLoss: number | null;
    meanClipFraction: number;
  }[];
  recommendation: { text?: string[] };
}

function sweepSummary(doc: SweepDoc) {
  const rows = (doc.table ?? []).map((t) => [
    num(t.rank),
    t.setting,
    num(t.runs),
    num(t.diverged),
    t.medianFinalLoss === null ? "∞ (diverged)" : num(t.medianFinalLoss),
    num(t.meanClipFraction),
  ]);
  return {
    heading: "Sweep: clipping threshold × learning rate",
    tables: [
      [["rank", "setting", "runs", "diverged", "median final loss", "mean clip fraction"], ...rows],
    ],
    notes: doc.recommendation.text ?? [],
  };
}

interface GroupsDoc {
  model: { name: string };
  data: { file?: string; y?: string };
  counts?: { groups: number; fitted: number; failed: number; flagged: number };
}

function groupsSummary(doc: GroupsDoc) {
  const c = doc.counts;
  return {
    heading: `Grouped fits: ${doc.data.y ?? ""} ~ ${doc.model.name}`,
    tables: c
      ? [
          [
            ["groups", "fitted", "failed", "flagged"],
            [c.groups, c.fitted, c.failed, c.flagged].map(num),
          ],
        ]
      : [],
    notes: doc.data.file ? [`data: ${doc.data.file}`] : [],
  };
}
