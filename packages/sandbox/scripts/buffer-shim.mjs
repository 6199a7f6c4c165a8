// Injected by bundle-libs.mjs into bundles that use Node's global Buffer.
export { Buffer } from 'buffer';
