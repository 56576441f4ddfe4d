import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

/** A logger whose lines a test can read back, parsed. */
export function capturedLog(level: pino.LevelWithSilent = 'info'): {
  log: Logger;
  lines: () => { level: number; msg: string; [key: string]: unknown }[];
} {
  const raw: string[] = [];
  const log = pino(
    { level },
    new Writable({
      write(chunk, _encoding, done) {
        raw.push(String(chunk));
        done();
      },
    }),
  );
  return { log, lines: () => raw.map((line) => JSON.parse(line)) };
}
