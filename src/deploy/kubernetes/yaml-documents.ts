import { stringify } from 'yaml';
import { generatedHeader } from './names.js';

/** One YAML file of Kubernetes objects (or one kustomization), with the generated-file header. */
export function yamlDocuments(objects: readonly object[], comment = ''): string {
  const lines = comment
    ? `${comment
        .trim()
        .split('\n')
        .map((line) => `# ${line}`.trimEnd())
        .join('\n')}\n`
    : '';
  const body = objects.map((object) => stringify(object, { lineWidth: 0 })).join('---\n');
  return `${generatedHeader}${lines}${body}`;
}
