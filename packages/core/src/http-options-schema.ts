/** HTTP settings of an environment or project: HTTP/2, proxies, client certificates, CAs, cookies. */
import * as z from 'zod';

export const ClientCertificateSchema = z.strictObject({
  host: z.string().min(1).optional().describe('Host (or host:port) the certificate is for; every host when absent.'),
  cert: z.string().min(1).optional().describe('PEM certificate file.'),
  key: z.string().min(1).optional().describe('PEM private key file.'),
  pfx: z.string().min(1).optional().describe('PKCS#12 file instead of cert + key.'),
  passphrase: z.string().optional().describe('Passphrase of the key or PFX (use a secret).'),
});
export type ClientCertificate = z.infer<typeof ClientCertificateSchema>;

export const HttpOptionsSchema = z.strictObject({
  http2: z.boolean().optional().describe('Negotiate HTTP/2 over TLS (ALPN); default false.'),
  proxy: z
    .union([
      z.string().min(1),
      z.strictObject({
        url: z.string().min(1).describe('Proxy URL.'),
        noProxy: z.array(z.string()).optional().describe('Hosts reached without the proxy.'),
      }),
    ])
    .optional()
    .describe('Proxy URL; without it HTTP_PROXY / HTTPS_PROXY / NO_PROXY apply.'),
  ca: z.array(z.string().min(1)).optional().describe('Extra CA certificate files (PEM), trusted for every host.'),
  hostCa: z
    .array(
      z.strictObject({
        host: z.string().min(1).describe('host or host:port'),
        ca: z.array(z.string().min(1)).min(1).describe('CA certificate files (PEM).'),
      }),
    )
    .optional()
    .describe('Extra CA certificates trusted for one host only (a private PKI behind one API).'),
  clientCertificates: z.array(ClientCertificateSchema).optional().describe('Client certificates (mutual TLS), per host or for every host.'),
  cookies: z.boolean().optional().describe('Keep a cookie jar across the steps of a run (default true).'),
});
export type HttpOptions = z.infer<typeof HttpOptionsSchema>;
