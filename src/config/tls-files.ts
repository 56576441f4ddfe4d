import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { FileRefused, readBoundedFile } from './bounded-file.js';
import { ConfigError } from './load.js';
import type { BaseConfig } from './schema.js';

/** The certificate (chain) and private key the HTTPS server presents, as PEM. */
export interface TlsMaterial {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** A certificate chain is a few kB; a megabyte is not one. */
export const tlsFileBytes = 1024 * 1024;

type TlsConfig = NonNullable<BaseConfig['server']['tls']>;

/**
 * Reads and checks `server.tls`: both files regular and bounded (as secret
 * files are), the certificate a PEM X.509 certificate, the key a PEM private
 * key without a passphrase, and the key the certificate's. What `serve` would
 * trip over later is reported now, by `check-config` too, naming the key.
 */
export async function readTlsFiles(tls: TlsConfig): Promise<TlsMaterial> {
  const problems: string[] = [];
  const read = async (key: string, path: string) => {
    try {
      return await readBoundedFile(path, tlsFileBytes);
    } catch (error) {
      problems.push(`${key}: ${error instanceof FileRefused ? error.message : String(error)}`);
      return undefined;
    }
  };
  const cert = await read('server.tls.certFile', tls.certFile);
  const key = await read('server.tls.keyFile', tls.keyFile);
  let certificate: X509Certificate | undefined;
  let privateKey: KeyObject | undefined;
  if (cert) {
    try {
      if (!cert.includes('-----BEGIN CERTIFICATE-----')) throw new Error('no PEM block');
      certificate = new X509Certificate(cert);
    } catch {
      problems.push(`server.tls.certFile: "${tls.certFile}" holds no PEM certificate`);
    }
  }
  if (key) {
    try {
      if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key.toString('latin1'))) {
        throw new Error('no PEM block');
      }
      privateKey = createPrivateKey(key);
    } catch {
      problems.push(
        `server.tls.keyFile: "${tls.keyFile}" holds no PEM private key (or one with a passphrase)`,
      );
    }
  }
  if (certificate && privateKey && !certificate.checkPrivateKey(privateKey)) {
    problems.push(
      `server.tls.keyFile: the key in "${tls.keyFile}" does not belong to the certificate in server.tls.certFile`,
    );
  }
  if (problems.length > 0 || !cert || !key) throw new ConfigError(problems);
  return { cert, key };
}
