/**
 * Carlson's yeast culture: the amount of yeast in a wort culture counted every hour for 18
 * hours (T. Carlson, "Über Geschwindigkeit und Grösse der Hefevermehrung in Würze",
 * Biochemische Zeitschrift 57:313–334, 1913), as tabulated by R. Pearl, "The growth of
 * populations", Quarterly Review of Biology 2:532–548 (1927), who fitted the logistic curve
 * to it. Published in 1913: public domain. The same numbers are shipped as
 * `examples/yeast-carlson.csv` (a test checks that they agree).
 *
 * The first eight hours (0–7) are the exponential phase: the log of the amount rises by
 * 0.4–0.65 per hour; from hour 8 on growth slows towards the plateau of about 660.
 */
export const CARLSON_HOURS: readonly number[] = Array.from({ length: 19 }, (_, i) => i);

export const CARLSON_YEAST: readonly number[] = [
  9.6, 18.3, 29.0, 47.2, 71.1, 119.1, 174.6, 257.3, 350.7, 441.0, 513.3, 559.7, 594.8, 629.4, 640.8,
  651.1, 655.9, 659.6, 661.8,
];

/** The last hour of the exponential phase. */
export const EXPONENTIAL_PHASE_END = 7;
