/** HTTP settings of an environment or project: HTTP/2, proxies, client certificates, CAs, cookies. */
import * as z from 'zod';
import { described } from './schema-helpers.js';

export const ClientCertificateSchema = z.strictObject({
  host: described(z.string().min(1).optional(), 'Host (or host:port) the certificate is for; every host when absent.'),
  cert: described(z.string().min(1).optional(), 'PEM certificate file.'),
  key: described(z.string().min(1).optional(), 'PEM private key file.'),
  pfx: described(z.string().min(1).optional(), 'PKCS#12 file instead of cert + key.'),
  passphrase: described(z.string().optional(), 'Passphrase of the key or PFX (use a secret).'),
});
export type ClientCertificate = z.infer<typeof ClientCertificateSchema>;

export const HttpOptionsSchema = z.strictObject({
  http2: described(z.boolean().optional(), 'Negotiate HTTP/2 over TLS (ALPN); default false.'),
  proxy: described(
    z
      .union([
        z.string().min(1),
        z.strictObject({
          url: described(z.string().min(1), 'Proxy URL.'),
          noProxy: described(z.array(z.string()).optional(), 'Hosts reached without the proxy.'),
        }),
      ])
      .optional(),
    'Proxy URL; without it HTTP_PROXY / HTTPS_PROXY / NO_PROXY apply.',
  ),
  ca: described(z.array(z.string().min(1)).optional(), 'Extra CA certificate files (PEM), trusted for every host.'),
  hostCa: described(
    z
      .array(
        z.strictObject({
          host: described(z.string().min(1), 'host or host:port'),
          ca: described(z.array(z.string().min(1)).min(1), 'CA certificate files (PEM).'),
        }),
      )
      .optional(),
    'Extra CA certificates trusted for one host only (a private PKI behind one API).',
  ),
  clientCertificates: described(
    z.array(ClientCertificateSchema).optional(),
    'Client certificates (mutual TLS), per host or for every host.',
  ),
  cookies: described(z.boolean().optional(), 'Keep a cookie jar across the steps of a run (default true).'),
});
export type HttpOptions = z.infer<typeof HttpOptionsSchema>;
