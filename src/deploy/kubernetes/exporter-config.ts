import { stringify } from 'yaml';
import { secretName, tlsDirectory } from './names.js';

/** Stands where a bcrypt hash must go: not a valid hash, so the exporter refuses to start until replaced. */
export const passwordHashPlaceholder = 'REPLACE-with-the-output-of-htpasswd-nbBC-10';

export type ScrapeSecurity = 'http' | 'https' | 'https-basic-auth';

/**
 * The exporter's chom.yml for a way of serving the scrape. Database URLs and
 * keys are not in it: the Deployment points the *_FILE variables at the Secret.
 */
export function exporterConfigYaml(security: ScrapeSecurity): string {
  const tls = { certFile: `${tlsDirectory}/tls.crt`, keyFile: `${tlsDirectory}/tls.key` };
  const server =
    security === 'http'
      ? undefined
      : {
          tls,
          ...(security === 'https-basic-auth'
            ? { auth: { basic: { username: 'prometheus', passwordHash: passwordHashPlaceholder } } }
            : {}),
        };
  const config = { ...(server ? { server } : {}), log: { level: 'info' } };
  return `# chom-exporter configuration; every key is in docs/configuration.md (query overrides,
# schedules, label vocabularies, KPI thresholds). Database URLs and keys are not here: the
# Deployment reads them from the files of the Secret "${secretName}" (*_FILE variables).
${security === 'https-basic-auth' ? '# Replace passwordHash with `htpasswd -nbBC 10 prometheus PASSWORD | cut -d: -f2`, PASSWORD being\n# the one in Secret "chom-exporter-scrape-auth" (key password).\n' : ''}${stringify(config)}`;
}
