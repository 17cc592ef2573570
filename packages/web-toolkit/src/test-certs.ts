// Makes a throwaway CA, a server certificate for 127.0.0.1/localhost and a client certificate with openssl.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

export interface TestCerts {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

export function makeCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), 'pm-certs-'));
  const p = (f: string): string => join(dir, f);
  const ssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'ignore' });
  };
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('ca.key'), '-out', p('ca.pem'), '-days', '2', '-subj', '/CN=Promethium Test CA');
  writeFileSync(p('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  writeFileSync(p('client.ext'), 'subjectAltName=DNS:client.example\nextendedKeyUsage=clientAuth\n');
  for (const who of ['server', 'client']) {
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', p(`${who}.key`), '-out', p(`${who}.csr`), '-subj', `/CN=${who}`);
    ssl('x509', '-req', '-in', p(`${who}.csr`), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p(`${who}.pem`), '-days', '2', '-extfile', p(`${who}.ext`));
  }
  return { dir, ca: p('ca.pem'), serverCert: p('server.pem'), serverKey: p('server.key'), clientCert: p('client.pem'), clientKey: p('client.key') };
}

/**
 * A bcrypt hash made the way the docs tell a Debian user to make one: `htpasswd -nbBC` from
 * apache2-utils, else python3's crypt module (libxcrypt). Undefined when neither is there.
 */
export function debianBcrypt(password: string, cost = 10): string | undefined {
  const ht = spawnSync('htpasswd', ['-nbBC', String(cost), '', password], { encoding: 'utf8' });
  if (ht.status === 0) return ht.stdout.replace(/[:\n]/g, '');
  const py = spawnSync(
    'python3',
    ['-W', 'ignore', '-c', 'import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=2**int(sys.argv[2]))))', password, String(cost)],
    { encoding: 'utf8' },
  );
  return py.status === 0 && py.stdout.startsWith('$2') ? py.stdout.trim() : undefined;
}
