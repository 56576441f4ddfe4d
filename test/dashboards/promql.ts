import { parser } from '@prometheus-io/lezer-promql';

type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

/** A metric selector found in a query, with where it sits. */
export interface Selector {
  readonly metric: string | undefined;
  /** The function whose range argument this selector is (`rate` in `rate(x[5m])`), if any. */
  readonly rangeFunction: string | undefined;
  /** The range of the matrix selector (`5m`), if the selector is one. */
  readonly range: string | undefined;
}

export interface PromqlAnalysis {
  /** Text at each error node of the lezer tree; empty when the query parses. */
  readonly errors: readonly string[];
  readonly selectors: readonly Selector[];
}

const childNamed = (node: SyntaxNode, name: string) => node.getChild(name) ?? undefined;

/** The name of the function a FunctionCallBody belongs to. */
function functionOf(body: SyntaxNode | null, text: string): string | undefined {
  const call = body?.name === 'FunctionCallBody' ? body.parent : null;
  if (call?.name !== 'FunctionCall') return undefined;
  const identifier = childNamed(call, 'FunctionIdentifier');
  return identifier ? text.slice(identifier.from, identifier.to) : undefined;
}

/** Parses with the official PromQL grammar (@prometheus-io/lezer-promql) and lists the selectors. */
export function analyse(expr: string): PromqlAnalysis {
  const tree = parser.parse(expr);
  const errors: string[] = [];
  const selectors: Selector[] = [];
  tree.iterate({
    enter(ref) {
      if (ref.type.isError) {
        errors.push(`at ${ref.from}: "${expr.slice(ref.from, Math.max(ref.to, ref.from + 10))}"`);
      }
      if (ref.name !== 'VectorSelector') return;
      const node = ref.node;
      const identifier = childNamed(node, 'Identifier');
      const matrix = node.parent?.name === 'MatrixSelector' ? node.parent : null;
      const duration = matrix ? childNamed(matrix, 'DurationExpr') : undefined;
      selectors.push({
        metric: identifier ? expr.slice(identifier.from, identifier.to) : undefined,
        rangeFunction: matrix ? functionOf(matrix.parent, expr) : undefined,
        range: duration ? expr.slice(duration.from, duration.to) : undefined,
      });
    },
  });
  return { errors, selectors };
}

/** The labels that tell exporter replicas apart (src/kpi/ids.ts). */
const replicaLabels = ['instance', 'pod'];

/** Nodes a selector's value passes through unchanged in kind (no aggregation, no arithmetic). */
const passThrough = new Set([
  'MatrixSelector',
  'OffsetExpr',
  'SubqueryExpr',
  'StepInvariantExpr',
  'ParenExpr',
  'FunctionCallBody',
  'FunctionCall',
]);

/** Whether an aggregation collapses replicas: a `max` that drops instance and pod. */
function collapsesReplicas(aggregate: SyntaxNode, text: string): boolean {
  const op = aggregate.getChild('AggregateOp');
  if (!op || text.slice(op.from, op.to) !== 'max') return false;
  const modifier = aggregate.getChild('AggregateModifier');
  if (!modifier) return true;
  const labels = modifier.getChild('GroupingLabels')?.getChildren('LabelName') ?? [];
  const names = labels.map((label) => text.slice(label.from, label.to));
  if (modifier.getChild('Without')) return replicaLabels.every((name) => names.includes(name));
  return replicaLabels.every((name) => !names.includes(name));
}

/**
 * The raw exporter selectors (chom_*, no colon: not recorded series) of a
 * query that reach an aggregation other than a replica-collapsing `max`, or
 * arithmetic, or the result, before replicas are collapsed. Empty when the
 * query gives one replica's values however many replicas are scraped.
 */
export function uncollapsedSelectors(expr: string): string[] {
  const tree = parser.parse(expr);
  const found: string[] = [];
  tree.iterate({
    enter(ref) {
      if (ref.name !== 'VectorSelector') return;
      const identifier = ref.node.getChild('Identifier');
      const metric = identifier ? expr.slice(identifier.from, identifier.to) : '';
      if (!metric.startsWith('chom_')) return;
      let node = ref.node.parent;
      while (node && passThrough.has(node.name)) node = node.parent;
      if (!(node?.name === 'AggregateExpr' && collapsesReplicas(node, expr))) found.push(metric);
    },
  });
  return found;
}

/**
 * The aggregations of a query that drop `label` (a `by` without it, a
 * `without` with it): empty when every series it returns keeps the label, as a
 * panel about each replica's own process must keep `instance`.
 */
export function aggregationsDropping(expr: string, label: string): string[] {
  const tree = parser.parse(expr);
  const found: string[] = [];
  tree.iterate({
    enter(ref) {
      if (ref.name !== 'AggregateExpr') return;
      const modifier = ref.node.getChild('AggregateModifier');
      const names = (modifier?.getChild('GroupingLabels')?.getChildren('LabelName') ?? []).map(
        (name) => expr.slice(name.from, name.to),
      );
      const keeps = modifier?.getChild('Without') ? !names.includes(label) : names.includes(label);
      if (!keeps) found.push(expr.slice(ref.from, ref.to));
    },
  });
  return found;
}
