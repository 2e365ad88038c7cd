import { Error as LogError, parse, type Spec, View } from "vega";
import { expressionInterpreter } from "vega-interpreter";
import { compile, type TopLevelSpec } from "vega-lite";

/**
 * Vega-Lite specs drawn as SVG in the page, under the server's Content-Security-Policy
 * (`script-src 'self'`, no eval): Vega's default expression code generator builds functions
 * with `new Function`, so specs are parsed to ASTs (`ast: true`) and evaluated by
 * vega-interpreter instead. Nothing is loaded from anywhere: every data set is inline.
 */
export async function drawChart(container: HTMLElement, spec: unknown): Promise<View> {
  const compiled = compile(spec as TopLevelSpec).spec as Spec;
  const view = new View(parse(compiled, undefined, { ast: true }), {
    expr: expressionInterpreter,
    renderer: "svg",
    container,
    hover: true,
    loader: refusingLoader(),
    logLevel: LogError,
  });
  await view.runAsync();
  return view;
}

/** A loader that fetches nothing: charts never reach for a URL (or another origin). */
function refusingLoader() {
  const refuse = async (): Promise<never> => {
    throw new Error("charts load no external data");
  };
  return { load: refuse, sanitize: refuse, http: refuse, file: refuse } as never;
}
