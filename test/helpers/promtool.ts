import { spawnSync } from 'node:child_process';

/** Runs `promtool check metrics` on an exposition; promtool comes from Debian's `prometheus` package. */
export function promtoolCheckMetrics(exposition: string): {
  status: number | null;
  output: string;
} {
  const result = spawnSync('promtool', ['check', 'metrics'], {
    input: exposition,
    encoding: 'utf8',
  });
  if (result.error)
    throw new Error(
      `promtool is not runnable (install Debian's prometheus package): ${result.error.message}`,
    );
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}
