import type { OdeFitChartDoc } from "./ode-fit-schema.js";
import { type ChartSpec, chart, type DataRow } from "./theme.js";

/**
 * The fitted observables against time: the model's curve at the estimates, its pointwise
 * confidence band (delta method from the sensitivities), and the measured points, one colour
 * per observable.
 */
export function odeTrajectorySpec(doc: OdeFitChartDoc): ChartSpec {
  const curve: DataRow[] = [];
  const points: DataRow[] = [];
  const tr = doc.trajectory;
  if (tr !== null) {
    for (const [observable, fitted] of Object.entries(tr.fitted)) {
      const band = tr.band?.[observable];
      tr.times.forEach((t, i) => {
        curve.push({
          observable,
          t,
          fitted: fitted[i] ?? null,
          lower: band?.lower[i] ?? null,
          upper: band?.upper[i] ?? null,
        });
      });
    }
  }
  for (const [observable, values] of Object.entries(doc.data.observed)) {
    doc.data.times.forEach((t, i) => {
      const y = values[i];
      if (y !== null && y !== undefined) points.push({ observable, t, y });
    });
  }
  const x = { field: "t", type: "quantitative", title: doc.data.time };
  const color = { field: "observable", type: "nominal", title: "observable" };
  const pct = tr === null ? null : Math.round(tr.level * 1000) / 10;
  const title =
    tr === null
      ? "ODE fit: data (no trajectory: the fit did not finish)"
      : `ODE fit: fitted trajectories${tr.band === null ? "" : ` with ${pct} % confidence band`} and data`;
  return chart(
    title,
    { curve, points },
    {
      width: 520,
      height: 300,
      layer: [
        ...(tr?.band
          ? [
              {
                data: { name: "curve" },
                mark: { type: "area", opacity: 0.2 },
                encoding: {
                  x,
                  y: { field: "lower", type: "quantitative", title: "value" },
                  y2: { field: "upper" },
                  color,
                },
              },
            ]
          : []),
        {
          name: "fitted",
          data: { name: "curve" },
          mark: { type: "line" },
          encoding: { x, y: { field: "fitted", type: "quantitative", title: "value" }, color },
        },
        {
          name: "observed",
          data: { name: "points" },
          mark: { type: "point", filled: true, size: 28 },
          encoding: { x, y: { field: "y", type: "quantitative", title: "value" }, color },
        },
      ],
    },
  );
}
