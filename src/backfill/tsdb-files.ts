import { existsSync, linkSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The TSDB blocks in a folder: sub-folders holding a meta.json. */
export function blockDirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => existsSync(join(dir, name, 'meta.json')));
}

/** Moves the blocks promtool wrote into `staging` to `dataDir` (a rename: same file system). */
export function moveBlocks(staging: string, dataDir: string): number {
  mkdirSync(dataDir, { recursive: true });
  const blocks = blockDirs(staging);
  for (const block of blocks) renameSync(join(staging, block), join(dataDir, block));
  return blocks.length;
}

/**
 * Hard-links every block of `dataDir` into `target`: a Prometheus started on
 * `target` may compact and delete what it likes without touching DIR/data.
 */
export function linkBlocks(dataDir: string, target: string): void {
  for (const block of blockDirs(dataDir)) linkTree(join(dataDir, block), join(target, block));
}

function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const source = join(from, name);
    if (statSync(source).isDirectory()) linkTree(source, join(to, name));
    else linkSync(source, join(to, name));
  }
}
