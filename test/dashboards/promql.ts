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
