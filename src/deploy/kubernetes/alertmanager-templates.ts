/**
 * Inlines `{{ template "name" . }}` calls with the bodies defined in a template
 * file, so that an AlertmanagerConfig's texts render the same without the file
 * being loaded into an operator-managed Alertmanager (which AlertmanagerConfig
 * objects cannot do). Only calls passing `.` are inlined: a body then sees the
 * same data it would see when called.
 */
export function inlineTemplates(text: string, templateFile: string): string {
  const bodies = templateBodies(templateFile);
  let result = text;
  // Bodies may call other templates; a cycle would never end, so stop at a fixed depth.
  for (let depth = 0; depth < 10; depth += 1) {
    const next = result.replace(
      /([ \t\r\n]*)\{\{(-?)\s*template\s+"([^"]+)"\s+\.\s*(-?)\}\}([ \t\r\n]*)/g,
      (
        _all,
        before: string,
        trimBefore: string,
        name: string,
        trimAfter: string,
        after: string,
      ) => {
        const body = bodies.get(name);
        if (body === undefined) throw new Error(`no template "${name}" is defined`);
        return `${trimBefore ? '' : before}${body}${trimAfter ? '' : after}`;
      },
    );
    if (next === result) return result;
    result = next;
  }
  throw new Error('templates call each other without end');
}

const action = /\{\{(-?)\s*(\/\*[\s\S]*?\*\/|[^}]*?)\s*(-?)\}\}/g;
const opensBlock = /^(if|range|with|define|block)\b/;

/** `{{ define "name" }}body{{ end }}` blocks, with the trim markers applied to the body's ends. */
function templateBodies(file: string): Map<string, string> {
  const bodies = new Map<string, string>();
  let open: { name: string; start: number; trimStart: boolean } | undefined;
  let depth = 0;
  for (const match of file.matchAll(action)) {
    const [whole, , content = '', trimAfter] = match;
    const index = match.index ?? 0;
    if (content.startsWith('/*')) continue;
    if (opensBlock.test(content)) {
      if (depth === 0) {
        const name = /^define\s+"([^"]+)"$/.exec(content)?.[1];
        if (!name) throw new Error(`unexpected block at the top level: {{${content}}}`);
        open = { name, start: index + whole.length, trimStart: trimAfter === '-' };
      }
      depth += 1;
    } else if (content === 'end') {
      depth -= 1;
      if (depth === 0 && open) {
        let body = file.slice(open.start, index);
        if (open.trimStart) body = body.replace(/^[ \t\r\n]+/, '');
        if (whole.startsWith('{{-')) body = body.replace(/[ \t\r\n]+$/, '');
        bodies.set(open.name, body);
        open = undefined;
      }
    }
  }
  if (depth !== 0) throw new Error('template file: a block is not closed');
  return bodies;
}
