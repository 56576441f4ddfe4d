import type { Logger } from 'pino';
import type { Config } from './app/config.js';
import { Exporter } from './engine/exporter.js';
import { resolveDatabase } from './serve.js';
import { closeSources, createSources } from './app/create-sources.js';
import { stripeFromConfig } from './billing/stripe-from-config.js';

/** Runs every collector once, prints the exposition, and reports failures by exit code. */
export async function runOnceCommand(config: Config, log: Logger): Promise<number> {
  const { url, demo } = await resolveDatabase(config, log);
  const sources = createSources(config, url, {
    ...(demo ? { stateUrl: demo.url } : {}),
    stripe: stripeFromConfig(config, log),
  });
  const exporter = new Exporter(config, sources, log);
  try {
    const failed = await exporter.runOnce();
    process.stdout.write(await exporter.exposition());
    return failed > 0 ? 1 : 0;
  } finally {
    await exporter.stop();
    await closeSources(sources);
    await demo?.stop();
  }
}
