/** Validates XML against the JUnit XSD in fixtures/conformance with xmllint (libxml2 compiled to wasm). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';

const XSD_PATH = join(import.meta.dirname, '..', '..', '..', '..', 'fixtures', 'conformance', 'junit-10.xsd');

export async function validateJunit(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const schema = await readFile(XSD_PATH, 'utf8');
  const result = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [schema] });
  return { valid: result.valid, errors: result.errors.map((e) => e.rawMessage) };
}
