import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** Why a file could not be used; the message names the file, never its content. */
export class FileRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileRefused';
  }
}

/** A size for messages: bytes, KiB or MiB, whichever reads best. */
export function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/**
 * Reads a regular file of at most `maxBytes`, without blocking the event loop.
 * Opened non-blocking, then checked on the open descriptor (no race with a
 * rename): a FIFO would otherwise hang the read until a writer came, and
 * /dev/zero or /dev/urandom would grow the process until it crashed.
 * Symbolic links are followed (Kubernetes mounts secrets through them). The
 * read stops one byte past the cap rather than trusting the reported size,
 * which is 0 for files such as those under /proc.
 */
export async function readBoundedFile(path: string, maxBytes: number): Promise<Buffer> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new FileRefused(
      `cannot read "${path}": ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      const kind = stats.isDirectory() ? 'a directory' : 'not a regular file';
      throw new FileRefused(`"${path}" is ${kind}; expected a regular file`);
    }
    if (stats.size > maxBytes) throw tooLarge(path, maxBytes);
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) throw tooLarge(path, maxBytes);
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof FileRefused) throw error;
    throw new FileRefused(
      `cannot read "${path}": ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  } finally {
    await handle.close().catch(() => {});
  }
}

function tooLarge(path: string, maxBytes: number): FileRefused {
  return new FileRefused(`"${path}" is larger than ${describeBytes(maxBytes)}`);
}
