import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/processes.js';

const cli = ['--import', 'tsx', 'src/cli.ts'];

/** Runs the CLI with only the given environment; a command that hangs is killed at 30 s. */
function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [...cli, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, CHOM_LOG_LEVEL: 'silent', ...env },
    timeout: 30_000,
  });
  return { status: result.status, signal: result.signal, stderr: result.stderr };
}

function certificate(dir: string, name: string): { cert: string; key: string } {
  const [cert, key] = [join(dir, `${name}.crt`), join(dir, `${name}.key`)];
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'].concat([
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
    ]),
    { stdio: 'ignore' },
  );
  return { cert, key };
}

/** Files a secret or a certificate must not be: each exits 2 naming the key, never hangs or crashes. */
describe('secret and TLS files that are not usable', () => {
  const dir = tempDir('chom-bad-files-');
  afterAll(() => dir.remove());

  it('check-config refuses a FIFO or a device as a *_FILE, exit 2 naming the variable', () => {
    const fifo = join(dir.path, 'url.fifo');
    execFileSync('mkfifo', [fifo]);
    for (const path of [fifo, '/dev/zero']) {
      const result = run(['check-config'], { CHOM_DATABASE_URL_FILE: path });
      expect(result).toMatchObject({ status: 2, signal: null });
      expect(result.stderr).toContain(
        `CHOM_DATABASE_URL_FILE: "${path}" is not a regular file; expected a regular file`,
      );
    }
  });

  it('check-config checks server.tls: present, regular, PEM, and a key matching the certificate', () => {
    const good = certificate(dir.path, 'good');
    const other = certificate(dir.path, 'other');
    const notPem = join(dir.path, 'not-pem.key');
    writeFileSync(notPem, 'this is not a key\n');
    const config = (certFile: string, keyFile: string) => {
      const path = join(dir.path, `tls-${Math.random().toString(36).slice(2)}.yml`);
      writeFileSync(path, `server:\n  tls:\n    certFile: ${certFile}\n    keyFile: ${keyFile}\n`);
      return ['check-config', '--config', path];
    };
    expect(run(config(good.cert, good.key)).status).toBe(0);
    const cases: [string[], string][] = [
      [config(join(dir.path, 'absent.crt'), good.key), 'server.tls.certFile: cannot read'],
      [config(good.cert, notPem), 'server.tls.keyFile: '],
      [config(good.key, good.key), 'server.tls.certFile: '],
      [config(good.cert, other.key), 'server.tls.keyFile: the key in'],
      [config(good.cert, '/dev/zero'), 'server.tls.keyFile: "/dev/zero" is not a regular file'],
    ];
    for (const [args, expected] of cases) {
      const result = run(args);
      expect(result.status, expected).toBe(2);
      expect(result.stderr).toContain(expected);
    }
  });

  it('serve exits 2 naming server.tls.certFile when the certificate is missing', () => {
    const { key } = certificate(dir.path, 'serve');
    const path = join(dir.path, 'serve.yml');
    const missing = join(dir.path, 'gone.crt');
    writeFileSync(path, `server:\n  tls:\n    certFile: ${missing}\n    keyFile: ${key}\n`);
    // No database URL: a valid configuration would start the demo; this one must stop first.
    const result = run(['serve', '--config', path], { CHOM_PORT: '0', CHOM_HOST: '127.0.0.1' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`server.tls.certFile: cannot read "${missing}": ENOENT`);
  });
});
