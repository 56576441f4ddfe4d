import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// One implementation for the product and the tests.
export { freePort } from '../../src/net/free-port.js';

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Polls until `check` holds or the deadline passes (then throws with the label). */
export async function waitUntil(
  label: string,
  seconds: number,
  check: () => Promise<boolean> | boolean,
): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch {
      // Not up yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out after ${seconds}s waiting for ${label}`);
}

/** A child process whose output is kept for the failure message, killed in `stop`. */
export class Child {
  private readonly process: ChildProcess;
  private output = '';

  constructor(command: string, args: string[]) {
    this.process = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process.stdout?.on('data', (chunk) => this.append(chunk));
    this.process.stderr?.on('data', (chunk) => this.append(chunk));
    this.process.on('error', (error) => this.append(`spawn error: ${error.message}`));
  }

  get log(): string {
    return this.output;
  }

  async stop(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  private append(chunk: unknown): void {
    // Keep the tail only: enough to explain a failure.
    this.output = (this.output + String(chunk)).slice(-20_000);
  }
}
