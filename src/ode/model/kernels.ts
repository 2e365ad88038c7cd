/**
 * The model's graph and its generated kernels. All right-hand sides, initial values,
 * observables and dose amounts are lowered into ONE hash-consed graph, differentiated
 * symbolically there (so a subexpression shared by f, J, ∂f/∂θ and the second derivatives
 * exists once), and compiled into one function per quantity the integrators and fits ask for:
 *   rhs       f_i                         jacobian   ∂f_i/∂y_j
 *   paramJac  ∂f_i/∂θ_l                   sensJv     Σ_k ∂w_i/∂y_k·S_kl + ∂w_i/∂θ_l,  w = J·v
 *   augmented [f; J·S + ∂f/∂θ] from z = [y; S], one call per stage of the explicit method
 *   time      ∂f_i/∂t                     sensTime   Σ_k ∂f'_i/∂y_k·S_kl + ∂f'_i/∂θ_l, f' = ∂f/∂t
 *   y0, S0    y0_i, ∂y0_i/∂θ_l             observe    h_m;  observeSens  Σ_k ∂h_m/∂y_k·S_kl + ∂h_m/∂θ_l
 *   dose e    A_e and ∂A_e/∂θ_l
 * w = J·v is the directional derivative: ∂w_i/∂y_k = Σ_j ∂²f_i/∂y_j∂y_k·v_j, exactly the
 * second-derivative product `sensitivityJacobianTimesVector` needs, without forming n³ terms.
 */
import { derivative } from "../../formula/derive.js";
import type { Graph } from "../../formula/graph.js";
import { binary } from "../../formula/simplify.js";
import { type ContractionKernel, makeContraction, makeContractionFactory } from "./contraction.js";
import {
  type Kernel,
  type KernelFactory,
  type KernelOutput,
  makeKernel,
  makeKernelFactory,
} from "./kernel.js";
import type { Slots } from "./slots.js";

export interface LoweredModel {
  readonly graph: Graph;
  readonly slots: Slots;
  /** f_i, y0_i, h_m, A_e as graph nodes. */
  readonly rhs: readonly number[];
  readonly initial: readonly number[];
  readonly observables: readonly number[];
  readonly doses: readonly number[];
  /** The time of each dose (an expression of constants). */
  readonly doseTimes: readonly number[];
  /** Parameter index (into slots.params) of each free parameter: the order of θ. */
  readonly free: readonly number[];
}

/** The integrators' kernels are bound once per parameter vector (model.system(θ)). */
export interface ModelKernels {
  readonly rhs: KernelFactory;
  readonly jacobian: KernelFactory;
  readonly paramJacobian: KernelFactory;
  readonly sensJv: KernelFactory<ContractionKernel>;
  /** [f; J·S + ∂f/∂θ] from z = [y; S] in one call (the augmented right-hand side). */
  readonly augmented: KernelFactory<ContractionKernel>;
  readonly time: KernelFactory | null;
  readonly sensTime: KernelFactory<ContractionKernel> | null;
  readonly y0: Kernel;
  readonly S0: Kernel;
  readonly observe: Kernel;
  readonly observeSens: ContractionKernel;
  /** Per dose: out[0] = A, out[1 + l] = ∂A/∂θ_l. */
  readonly doses: readonly Kernel[];
  /** out[e] = the time of dose e. */
  readonly doseTimes: Kernel;
}

export function buildKernels(m: LoweredModel): ModelKernels {
  const { graph: g, slots } = m;
  const n = slots.n;
  const np = m.free.length;
  const memos = new Map<number, Map<number, number>>();
  // One memo per symbol: every derivative w.r.t. it shares the nodes already differentiated.
  const d = (node: number, slot: number): number => {
    let memo = memos.get(slot);
    if (memo === undefined) {
      memo = new Map();
      memos.set(slot, memo);
    }
    return derivative(g, node, slot, memo);
  };
  const ySlots = Array.from({ length: n }, (_, i) => slots.state(i));
  const thetaSlots = m.free.map((j) => slots.param(j));
  const plain = (nodes: readonly number[]): KernelOutput[] => nodes.map((node) => ({ node }));
  const byRow = (nodes: readonly number[], wrt: readonly number[]): number[] =>
    nodes.flatMap((f) => wrt.map((s) => d(f, s)));
  /** Σ_k ∂u/∂y_k·S[k·np + l] + ∂u/∂θ_l for every u and l. */
  const products = (nodes: readonly number[]) =>
    [
      g,
      slots,
      nodes.map((u) => ySlots.map((s) => d(u, s))),
      nodes.map((u) => thetaSlots.map((s) => d(u, s))),
      np,
    ] as const;
  const contraction = (nodes: readonly number[]) => makeContraction(...products(nodes));
  const bound = (nodes: readonly number[], lead: readonly number[] = []) =>
    makeContractionFactory(...products(nodes), lead);

  const J = byRow(m.rhs, ySlots);
  const w = m.rhs.map((_, i) =>
    ySlots.reduce(
      (acc, _s, j) =>
        binary(g, "add", acc, binary(g, "mul", J[i * n + j]!, g.param(slots.direction(j)))),
      g.num(0),
    ),
  );
  const ft = m.rhs.map((f) => d(f, slots.time));
  const timeDependent = ft.some((node) => !g.isZero(node));
  return {
    rhs: makeKernelFactory(g, slots, plain(m.rhs)),
    jacobian: makeKernelFactory(g, slots, plain(J)),
    paramJacobian: makeKernelFactory(g, slots, plain(byRow(m.rhs, thetaSlots))),
    sensJv: bound(w),
    augmented: bound(m.rhs, m.rhs),
    time: timeDependent ? makeKernelFactory(g, slots, plain(ft)) : null,
    sensTime: timeDependent ? bound(ft) : null,
    y0: makeKernel(g, slots, plain(m.initial)),
    S0: makeKernel(g, slots, plain(byRow(m.initial, thetaSlots))),
    observe: makeKernel(g, slots, plain(m.observables)),
    observeSens: contraction(m.observables),
    doseTimes: makeKernel(g, slots, plain(m.doseTimes)),
    doses: m.doses.map((a) => makeKernel(g, slots, plain([a, ...thetaSlots.map((s) => d(a, s))]))),
  };
}
