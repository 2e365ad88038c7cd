import type { ChartSpec } from "./theme.js";

/**
 * Two charts one above the other as one spec: the first's title and config, both charts'
 * data sets (their names must differ; a clash is a programming error), the second's title
 * kept as its part's title.
 */
export function stackCharts(top: ChartSpec, bottom: ChartSpec): ChartSpec {
  for (const name of Object.keys(bottom.datasets)) {
    if (Object.hasOwn(top.datasets, name)) throw new Error(`stackCharts: data set "${name}" twice`);
  }
  const body = (c: ChartSpec, keepTitle: boolean) => {
    const { title, config: _config, datasets: _datasets, description: _d, ...rest } = c;
    return keepTitle ? { title, ...rest } : rest;
  };
  return {
    title: top.title,
    config: top.config,
    ...(top.description !== undefined ? { description: top.description } : {}),
    datasets: { ...top.datasets, ...bottom.datasets },
    vconcat: [body(top, false), body(bottom, true)],
  };
}
