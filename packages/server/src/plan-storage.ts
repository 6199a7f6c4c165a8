import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, makeDirectory, SortieError } from '@sortie/core';
import { type BundleLimits, checkPath, readBundle } from './bundle/read-bundle.js';
import { writeBundle } from './bundle/write-bundle.js';
import type { PlanRecord, Store } from './store/store.js';

/** The file a bundle carries at its root to say what to run (`sortie run --remote` writes it). */
export const BUNDLE_MANIFEST = 'sortie-bundle.json';

/** What a bundle's manifest says: the inputs of `sortie run`, as paths inside the bundle. */
export interface BundleManifest {
  version: 1;
  name?: string;
  /** Scenario files or folders. */
  files: string[];
  /** An environment file in the bundle, or an environment name of the bundle's project. */
  environment?: string;
  /** Iteration data file (`-d`). */
  iterationData?: string;
  /** Script library folders (`--scripts`). */
  scripts?: string[];
  /** `--folder`: only the folders / groups or requests / steps of these names run. */
  folders?: string[];
  /** `--working-dir`: where a Postman collection's body file paths resolve, a folder of the bundle. */
  workingDir?: string;
}

/**
 * Turns an unpacked bundle into a validated, serialisable run plan: the library's `loadPlan` with
 * the bundle folder as working directory and no secret resolution. Throws the same INVALID_INPUT
 * error a local `sortie run` would print.
 */
export type LoadBundlePlan = (dir: string, manifest: BundleManifest) => Promise<unknown>;

/** How long a staging folder or an unrecorded plan folder is left before it counts as a crash's leftover. */
const LEFTOVER_AGE_MS = 3_600_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** How many parsed plans {@link PlanStorage.readPlan} keeps. */
const RECENT_PLANS = 16;

/** Stored plans: each bundle unpacked once under `<data-dir>/plans/<id>/`, with its plan as JSON. */
export class PlanStorage {
  readonly #store: Store;
  readonly #dir: string;
  readonly #load: LoadBundlePlan;
  readonly #limits: BundleLimits;
  readonly #recent = new Map<string, Promise<unknown>>();
  readonly #sizes = new Map<string, number>();

  constructor(options: { store: Store; dataDir: string; loadPlan: LoadBundlePlan; limits?: BundleLimits }) {
    this.#store = options.store;
    this.#dir = join(options.dataDir, 'plans');
    this.#load = options.loadPlan;
    this.#limits = options.limits ?? {};
  }

  /**
   * Checks, unpacks and validates a bundle; the same bytes uploaded again give the stored plan.
   * Nothing is written for a bundle that is refused, and a plan that does not validate is removed.
   */
  async add(archive: Buffer, now = Date.now()): Promise<PlanRecord> {
    const digest = createHash('sha256').update(archive).digest('hex');
    const known = await this.#store.findPlanByDigest(digest);
    if (known !== undefined) return known;
    const entries = await readBundle(archive, this.#limits);
    const manifestEntry = entries.find((entry) => entry.type === 'file' && entry.path === BUNDLE_MANIFEST);
    if (manifestEntry === undefined || manifestEntry.type !== 'file') {
      throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid bundle', `the bundle has no ${BUNDLE_MANIFEST} at its root`, {
        hint: 'make bundles with `sortie run --remote`, which writes the manifest',
      });
    }
    const manifest = parseManifest(manifestEntry.data);
    const id = randomUUID();
    const staging = join(this.#dir, `.${id}.staging`);
    const files = join(staging, 'files');
    try {
      await writeBundle(entries, files);
      const plan = await this.#load(files, manifest);
      // An agent runs the plan in a folder of its own: the server's staging folder would only tell
      // every job's reader where the server keeps its data.
      await writeFile(
        join(staging, 'plan.json'),
        JSON.stringify(plan !== null && typeof plan === 'object' ? { ...plan, root: '.' } : plan),
      );
      await rename(staging, join(this.#dir, id));
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
    const name = manifest.name ?? manifest.files.join(', ');
    const record: PlanRecord = { id, name: name.length > 200 ? `${name.slice(0, 199)}…` : name, digest, createdAt: now };
    try {
      await this.#store.insertPlan(record);
    } catch (error) {
      // The same bundle uploaded twice at once: the digest is unique, the first one stored wins.
      const stored = await this.#store.findPlanByDigest(digest);
      if (stored === undefined) throw error;
      await rm(join(this.#dir, id), { recursive: true, force: true });
      return stored;
    }
    return record;
  }

  /**
   * The serialised plan of a stored bundle, as a job carries it. A stored plan never changes, so the
   * last few read are kept: reading and parsing `plan.json` for every submission was ~0.25 ms of the
   * server's ~5 ms of CPU per run in the agents bench (500 runs of one plan). Callers must not modify it.
   */
  readPlan(id: string): Promise<unknown> {
    const cached = this.#recent.get(id);
    if (cached !== undefined) {
      // Most recently used last: the first key is the one to drop.
      this.#recent.delete(id);
      this.#recent.set(id, cached);
      return cached;
    }
    // The read itself is kept: submissions of a plan arriving at once (a server just started, a CI
    // matrix) wait for one read. Each read and parsed its own copy: 300 runs of a plan with a 19 MB
    // data file took the server past a 4 GB heap.
    const reading = readFile(join(this.#dir, id, 'plan.json'), 'utf8').then((text) => JSON.parse(text) as unknown);
    this.#recent.set(id, reading);
    reading.catch(() => {
      if (this.#recent.get(id) === reading) this.#recent.delete(id);
    });
    if (this.#recent.size > RECENT_PLANS) this.#recent.delete(this.#recent.keys().next().value as string);
    return reading;
  }

  /** The size of a stored plan's JSON, bytes (what a job carrying it puts in Redis); a stored plan never changes. */
  async planBytes(id: string): Promise<number> {
    const known = this.#sizes.get(id);
    if (known !== undefined) return known;
    const size = (await stat(join(this.#dir, id, 'plan.json'))).size;
    if (this.#sizes.size >= 10_000) this.#sizes.clear();
    this.#sizes.set(id, size);
    return size;
  }

  /** A stored plan's JSON as it is on disk (the serialised plan, as a job carries it). */
  planText(id: string): Promise<string> {
    return readFile(join(this.#dir, id, 'plan.json'), 'utf8');
  }

  /** Removes a stored plan's folder (retention, once the store no longer has it). */
  async remove(id: string): Promise<void> {
    this.#recent.delete(id);
    this.#sizes.delete(id);
    await rm(join(this.#dir, id), { recursive: true, force: true });
  }

  /**
   * Removes what an upload cut short by a crash (`kill -9`, power loss) left behind: a
   * `.<id>.staging` folder, or a plan folder renamed into place whose record never reached the
   * store. Only folders untouched for `olderThanMs` go, so an upload in progress (seconds) or a
   * folder whose record is being written is never taken. Returns how many were removed.
   */
  async removeLeftovers(now = Date.now(), olderThanMs = LEFTOVER_AGE_MS): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.#dir)) {
      const staging = /^\.(.+)\.staging$/.exec(name);
      if (staging === null && !UUID.test(name)) continue;
      const path = join(this.#dir, name);
      const changed = await stat(path).then(
        (info) => info.mtimeMs,
        () => undefined,
      );
      if (changed === undefined || now - changed < olderThanMs) continue;
      if (staging === null && (await this.#store.getPlan(name)) !== undefined) continue;
      await rm(path, { recursive: true, force: true });
      removed++;
    }
    return removed;
  }

  async ensureDir(): Promise<void> {
    await makeDirectory(this.#dir);
  }
}

/** The largest manifest, and the most paths or names one list of it may hold. */
const MAX_MANIFEST_BYTES = 1024 * 1024;
const MAX_MANIFEST_LIST = 10_000;

function parseManifest(data: Buffer): BundleManifest {
  if (data.length > MAX_MANIFEST_BYTES) {
    throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid bundle', `${BUNDLE_MANIFEST} is over ${MAX_MANIFEST_BYTES} bytes`);
  }
  let value: unknown;
  try {
    value = JSON.parse(data.toString('utf8'));
  } catch {
    value = undefined;
  }
  const manifest = value as Partial<BundleManifest> | undefined;
  for (const key of ['files', 'scripts', 'folders'] as const) {
    const list = manifest?.[key];
    if (Array.isArray(list) && list.length > MAX_MANIFEST_LIST) {
      throw new SortieError(
        ErrorCode.INVALID_INPUT,
        'Invalid bundle',
        `"${key}" of ${BUNDLE_MANIFEST} has more than ${MAX_MANIFEST_LIST} items`,
      );
    }
  }
  const strings = (list: unknown) => Array.isArray(list) && list.every((item) => typeof item === 'string');
  if (
    manifest === undefined ||
    manifest === null ||
    manifest.version !== 1 ||
    !strings(manifest.files) ||
    (manifest.files as string[]).length === 0 ||
    (manifest.environment !== undefined && typeof manifest.environment !== 'string') ||
    (manifest.iterationData !== undefined && typeof manifest.iterationData !== 'string') ||
    (manifest.scripts !== undefined && !strings(manifest.scripts)) ||
    (manifest.folders !== undefined && !strings(manifest.folders)) ||
    (manifest.workingDir !== undefined && typeof manifest.workingDir !== 'string')
  ) {
    throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid bundle', `${BUNDLE_MANIFEST} is not a valid bundle manifest`, {
      hint: 'expected {"version": 1, "files": ["…"], "environment"?: "…", "iterationData"?: "…", "scripts"?: ["…"], "folders"?: ["…"], "workingDir"?: "…"}',
    });
  }
  const checked = manifest as BundleManifest;
  // Checked before the loader reads anything: "/etc/x.json" or "../x.json" made the server read its
  // own files, and its errors told whether a file exists and which keys it has.
  const paths = [
    ...checked.files,
    ...(checked.scripts ?? []),
    ...[checked.environment, checked.iterationData, checked.workingDir].filter((path) => path !== undefined),
  ];
  const outside = paths.filter((path) => path !== '.' && checkPath(path) === undefined);
  if (outside.length > 0) {
    throw new SortieError(
      ErrorCode.INVALID_INPUT,
      'Invalid bundle',
      `${BUNDLE_MANIFEST} names paths outside the bundle: ${outside
        .slice(0, 10)
        .map((path) => JSON.stringify(path.slice(0, 200)))
        .join(', ')}`,
      { hint: 'every path in the manifest is relative to the bundle, without ".."' },
    );
  }
  return checked;
}
