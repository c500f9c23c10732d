// TLS is always verified; a self-hosted collector's own CA can be trusted explicitly.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createNodeTransport } from '../../src/telemetry/index.js';
import { tempDir } from '../support/service.js';

let tmp: ReturnType<typeof tempDir>;
let url: string;
let cert: string;
let close: () => void;

beforeAll(async () => {
  tmp = tempDir('tls-');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', join(tmp.dir, 'key.pem'), '-out', join(tmp.dir, 'cert.pem')], { stdio: 'ignore' });
  cert = readFileSync(join(tmp.dir, 'cert.pem'), 'utf8');
  const server = createServer({ key: readFileSync(join(tmp.dir, 'key.pem')), cert }, (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://localhost:${(server.address() as AddressInfo).port}/v1/batch`;
  close = () => server.close();
});
afterAll(() => {
  close();
  tmp.cleanup();
});

it('a self-signed certificate is refused by default', async () => {
  await expect(createNodeTransport().post(url, Buffer.from('{}'), {}, 5000)).rejects.toMatchObject({ code: expect.stringMatching(/SELF_SIGNED|UNABLE_TO_VERIFY|DEPTH_ZERO/) });
});

it('the same certificate is accepted when given as the custom CA', async () => {
  const res = await createNodeTransport({ ca: cert }).post(url, Buffer.from('{}'), {}, 5000);
  expect(res.status).toBe(200);
  expect(res.body).toBe('{"ok":true}');
});
