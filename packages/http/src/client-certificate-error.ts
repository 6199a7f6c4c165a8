/**
 * Why Node (OpenSSL) cannot load a client certificate, said as what to change: OpenSSL's own text
 * ("mac verify failure", "key values mismatch", "bad decrypt", "wrong tag") names a routine, not the
 * wrong setting. The OpenSSL text is kept at the end, for a search.
 */

export interface CertificateParts {
  cert?: string | Buffer;
  key?: string | Buffer;
  pfx?: Buffer;
  passphrase?: string;
}

export interface LoadFailure {
  reason: string;
  hint: string;
}

/**
 * The reason and hint for `error`, thrown by `load(parts)` (`tls.createSecureContext`, passed in as the
 * caller loads `node:tls` lazily).
 */
export function describeCertificateLoadFailure(
  error: unknown,
  parts: CertificateParts,
  load: (parts: CertificateParts) => unknown,
): LoadFailure {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const openssl = `(OpenSSL: ${message.replace(/^error:[0-9A-F]+:/, '')})`;
  const passphraseGiven = parts.passphrase !== undefined;
  if (parts.pfx !== undefined) {
    // PKCS#12 (RFC 7292 §4): its MAC is computed from the password, so a wrong one fails the MAC check.
    if (/mac verify failure/i.test(message)) {
      return passphraseGiven
        ? { reason: `the passphrase does not open the pfx (PKCS#12) file ${openssl}`, hint: 'check the passphrase of the pfx file' }
        : {
            reason: `the pfx (PKCS#12) file is protected by a passphrase, and none is given ${openssl}`,
            hint: 'give its passphrase: `passphrase` next to `pfx`, or --ssl-client-passphrase',
          };
    }
    return {
      reason: `the pfx file is not a PKCS#12 file ${openssl}`,
      hint: 'a pfx is a .p12/.pfx file; a PEM certificate and key go in `cert` and `key`',
    };
  }
  if (code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH') {
    return {
      reason: `the key does not belong to the certificate ${openssl}`,
      hint: 'give the private key the certificate was issued for',
    };
  }
  if (code === 'ERR_OSSL_BAD_DECRYPT') {
    return passphraseGiven
      ? { reason: `the passphrase does not decrypt the key ${openssl}`, hint: 'check the passphrase of the key' }
      : {
          reason: `the key is encrypted, and no passphrase is given ${openssl}`,
          hint: 'give its passphrase: `passphrase` next to `key`, or --ssl-client-passphrase',
        };
  }
  // Which of the two PEM files is not what it should be: the certificate alone loads or not.
  const certLoads = parts.cert !== undefined && loads(() => load({ cert: parts.cert }));
  return certLoads
    ? { reason: `the key is not a PEM private key ${openssl}`, hint: 'the key file starts with -----BEGIN … PRIVATE KEY-----' }
    : { reason: `the certificate is not a PEM certificate ${openssl}`, hint: 'the cert file starts with -----BEGIN CERTIFICATE-----' };
}

function loads(load: () => unknown): boolean {
  try {
    load();
    return true;
  } catch {
    return false;
  }
}
