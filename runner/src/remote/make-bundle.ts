import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { ErrorCode, type RunPlan, SortieError } from '@sortie/api';
import { makeDirectory } from '@sortie/core';
import { detectPostmanText } from '@sortie/postman/detect';
import { create } from 'tar';

/** What `sortie run --remote` sends: the plan's files as a .tar.gz with a manifest (see docs/agents.md). */
export async function makeBundle(
  plan: RunPlan,
  inputs: { files: string[]; iterationData?: string; scripts: string[]; folders?: string[]; workingDir?: string },
): Promise<Buffer> {
  const paths = new Set<string>();
  for (const source of plan.scenarios) paths.add(source.file);
  for (const path of Object.keys(plan.includes)) paths.add(path);
  if (plan.project !== undefined) paths.add(plan.project.file);
  for (const hook of Object.values(plan.hooks ?? {})) paths.add(hook.scenario.file);
  if (plan.environmentFile !== undefined) paths.add(plan.environmentFile.file);
  if (plan.iterationData !== undefined) paths.add(plan.iterationData.file);
  for (const library of plan.libraries) if (library.dir !== '.') paths.add(library.dir);
  for (const path of Object.keys(plan.files)) paths.add(path);
  const outside = [...paths].filter((path) => isAbsolute(path) || path.startsWith('../') || path === '..');
  if (outside.length > 0) {
    throw new SortieError(ErrorCode.USAGE, 'Cannot send the plan', `these inputs are outside the current folder: ${outside.join(', ')}`, {
      hint: 'run `sortie run --remote` from the project folder, so that every input is inside it',
    });
  }
  const staging = await mkdtemp(join(tmpdir(), 'sortie-bundle-'));
  try {
    for (const path of paths) {
      const target = join(staging, path);
      await makeDirectory(dirname(target));
      if (path === plan.environmentFile?.file && (await postmanVariablesFile(join(plan.root, path), target))) continue;
      // Links are followed: the bundle holds the files themselves.
      await cp(join(plan.root, path), target, { recursive: (await stat(join(plan.root, path))).isDirectory(), dereference: true });
    }
    const manifest: Record<string, unknown> = { version: 1, files: inputs.files, scripts: inputs.scripts };
    if (plan.environmentFile !== undefined) manifest.environment = plan.environmentFile.file;
    if (inputs.iterationData !== undefined) manifest.iterationData = inputs.iterationData;
    if (inputs.folders !== undefined) manifest.folders = inputs.folders;
    if (inputs.workingDir !== undefined) manifest.workingDir = inputs.workingDir;
    await writeFile(join(staging, 'sortie-bundle.json'), JSON.stringify(manifest));
    const chunks: Buffer[] = [];
    const stream = create({ gzip: true, cwd: staging, portable: true }, ['.']);
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * A Postman environment export goes into the bundle with its values typed `secret` emptied: the plan
 * names them as secrets, which each agent sets from its own environment; the values never travel.
 * @returns false when the file is not a Postman export (it is copied as it is).
 */
async function postmanVariablesFile(source: string, target: string): Promise<boolean> {
  if ((await stat(source)).isDirectory()) return false;
  const text = await readFile(source, 'utf8');
  const kind = detectPostmanText(text, source);
  if (kind !== 'environment' && kind !== 'globals') return false;
  const { emptySecretValues } = await import('@sortie/postman');
  await writeFile(target, emptySecretValues(text, source));
  return true;
}
