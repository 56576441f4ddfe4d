import type { Logger } from 'pino';
import type { Config } from './app/config.js';
import { buildService } from './app/service.js';

/** Runs every collector once, prints the exposition, and reports failures by exit code. */
export async function runOnceCommand(config: Config, log: Logger): Promise<number> {
  const service = await buildService(config, log);
  try {
    const failed = await service.exporter.runOnce();
    process.stdout.write(await service.exporter.exposition());
    return failed > 0 ? 1 : 0;
  } finally {
    await service.close();
  }
}
