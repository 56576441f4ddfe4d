import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** Every worker is busy and the queue is full: the caller answers "try again later". */
export class VerifierBusyError extends Error {
  constructor() {
    super('too many password checks in progress');
    this.name = 'VerifierBusyError';
  }
}

/**
 * The worker's whole program. Plain CommonJS evaluated in the thread, so it
 * runs the same under tsx, vitest and the compiled build; bcryptjs is loaded
 * from the path the main thread resolved.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcryptPath);
parentPort.on('message', ({ id, password, hash }) => {
  let ok = false;
  try { ok = bcrypt.compareSync(password, hash); } catch { ok = false; }
  parentPort.postMessage({ id, ok });
});
`;

interface Job {
  readonly id: number;
  readonly password: string;
  readonly hash: string;
  readonly resolve: (ok: boolean) => void;
  readonly reject: (error: Error) => void;
}

interface Thread {
  worker: Worker;
  job: Job | undefined;
}

export interface BcryptWorkersOptions {
  /** Threads comparing at once; by default one core is left to the event loop. */
  readonly threads?: number;
  /** Checks waiting for a thread; past that, `compare` refuses at once. */
  readonly maxQueued?: number;
}

/**
 * bcrypt comparisons on worker threads. bcryptjs's async API only slices the
 * work into 100 ms chunks on the main thread, so fifty wrong passwords made
 * every request wait seconds; here the event loop never runs bcrypt. The pool
 * is bounded twice: a few threads, and a short queue, so a flood of guesses
 * costs a fixed amount of CPU and memory and is refused beyond that.
 */
export class BcryptWorkers {
  private readonly threads: Thread[] = [];
  private readonly queue: Job[] = [];
  private readonly size: number;
  private readonly maxQueued: number;
  private nextId = 0;
  private closed = false;
  private done = 0;

  constructor(options: BcryptWorkersOptions = {}) {
    this.size = options.threads ?? Math.max(1, Math.min(2, availableParallelism() - 1));
    this.maxQueued = options.maxQueued ?? 16;
  }

  /** Comparisons finished so far (the tests count the work a request caused). */
  get comparisons(): number {
    return this.done;
  }

  /** Whether `password` matches the bcrypt `hash`; rejects with VerifierBusyError when full. */
  compare(password: string, hash: string): Promise<boolean> {
    if (this.closed) return Promise.reject(new Error('password verifier closed'));
    const idle = this.idleThread();
    if (!idle && this.queue.length >= this.maxQueued) {
      return Promise.reject(new VerifierBusyError());
    }
    this.nextId += 1;
    const id = this.nextId;
    return new Promise<boolean>((resolve, reject) => {
      const job = { id, password, hash, resolve, reject };
      if (idle) this.start(idle, job);
      else this.queue.push(job);
    });
  }

  /** Stops the threads; checks in progress are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('password verifier closed'));
    await Promise.all(
      this.threads.splice(0).map(({ worker, job }) => {
        job?.reject(new Error('password verifier closed'));
        return worker.terminate();
      }),
    );
  }

  private idleThread(): Thread | undefined {
    const idle = this.threads.find((thread) => thread.job === undefined);
    if (idle || this.threads.length >= this.size) return idle;
    const thread: Thread = { worker: this.spawn(), job: undefined };
    this.threads.push(thread);
    return thread;
  }

  private spawn(): Worker {
    const bcryptPath = createRequire(import.meta.url).resolve('bcryptjs');
    const worker = new Worker(workerSource, { eval: true, workerData: { bcryptPath } });
    // An idle pool must not keep the process alive at shutdown.
    worker.unref();
    worker.on('message', ({ id, ok }: { id: number; ok: boolean }) => {
      const thread = this.threads.find((candidate) => candidate.worker === worker);
      if (!thread || thread.job?.id !== id) return;
      const { job } = thread;
      thread.job = undefined;
      this.done += 1;
      job.resolve(ok === true);
      const next = this.queue.shift();
      if (next) this.start(thread, next);
    });
    // A thread that dies takes its check with it (refused, never accepted); a new one replaces it.
    const lost = (error: Error) => {
      const index = this.threads.findIndex((candidate) => candidate.worker === worker);
      if (index < 0) return;
      const [thread] = this.threads.splice(index, 1);
      thread?.job?.reject(error);
      const next = this.queue.shift();
      if (next) {
        const replacement = this.idleThread();
        if (replacement) this.start(replacement, next);
        else this.queue.unshift(next);
      }
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`password verifier thread exited (${code})`)));
    return worker;
  }

  private start(thread: Thread, job: Job): void {
    thread.job = job;
    thread.worker.postMessage({ id: job.id, password: job.password, hash: job.hash });
  }
}
