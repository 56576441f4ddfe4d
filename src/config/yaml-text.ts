import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** The parsed file, or the problems that kept it from being one. */
export interface ParsedYaml {
  readonly value: Record<string, unknown>;
  readonly problems: string[];
}

/** A parse that takes longer is stopped (the file is capped well below that). */
const parseTimeoutMs = 10_000;

/**
 * The worker's program: plain CommonJS evaluated in the thread, so it runs the
 * same under tsx, vitest and the compiled build; `yaml` is loaded from the path
 * the main thread resolved. The library's own duplicate-key check compares each
 * key with every earlier one (20,000 keys took seconds), so it is off and
 * duplicates are found with a set per mapping. Problems give a position, never
 * the text: the offending line may hold a secret. Aliases expand at most 100
 * times (the library's default), so no "billion laughs".
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { isScalar, LineCounter, parseDocument, visit } = require(workerData.yamlPath);
const { text, file } = workerData;
const lineCounter = new LineCounter();
const at = (offset) => {
  if (offset === undefined) return '';
  const { line, col } = lineCounter.linePos(offset);
  return ' at line ' + line + ', column ' + col;
};
const answer = (value, problem) => parentPort.postMessage({ value, problems: problem ? [problem] : [] });
const document = parseDocument(text, { uniqueKeys: false, lineCounter });
const [error] = document.errors;
let duplicate;
if (!error) {
  visit(document, {
    Map(_key, map) {
      const seen = new Set();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const key = typeof pair.key.value + ':' + String(pair.key.value);
        if (seen.has(key)) {
          duplicate = pair.key.range ? pair.key.range[0] : 0;
          return visit.BREAK;
        }
        seen.add(key);
      }
      return undefined;
    },
  });
}
if (error) answer({}, file + ': not valid YAML' + at(error.pos[0]) + ' (' + error.code + ')');
else if (duplicate !== undefined) answer({}, file + ': not valid YAML' + at(duplicate) + ' (DUPLICATE_KEY)');
else {
  let parsed;
  try {
    parsed = document.toJS({ maxAliasCount: 100 });
  } catch {
    parsed = undefined;
    answer({}, file + ': not valid YAML (aliases expand too far)');
  }
  if (parsed === null || parsed === undefined) answer({});
  else if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    answer({}, file + ': expected a mapping at the top level');
  } else answer(parsed);
}
`;

/**
 * Parses the configuration file's text on a worker thread, with its own small
 * heap: the yaml library spends about 20 µs per node, so a file at the size cap
 * takes around a second, which on the main thread would stall /healthz and
 * scrapes during a reload. A file that exhausts the worker's heap or time is
 * a problem naming the file, never a crash.
 */
export function parseYamlText(text: string, file: string): Promise<ParsedYaml> {
  const yamlPath = createRequire(import.meta.url).resolve('yaml');
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: ParsedYaml) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    const failed = (why: string) => finish({ value: {}, problems: [`${file}: ${why}`] });
    const worker = new Worker(workerSource, {
      eval: true,
      workerData: { yamlPath, text, file },
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    const timer = setTimeout(
      () => failed(`not parsed within ${parseTimeoutMs / 1000}s`),
      parseTimeoutMs,
    );
    worker.once('message', (result: ParsedYaml) => finish(result));
    worker.once('error', (error) => failed(`could not be parsed (${error.name})`));
    worker.once('exit', () => failed('could not be parsed (the parser stopped)'));
  });
}
