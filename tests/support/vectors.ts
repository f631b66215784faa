import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where ../shared/vectors is: beside the repository's checkout. A git worktree lives elsewhere, so
 * the main checkout (the parent of git's common directory) is tried too. A clone anywhere else (CI
 * clones main into a folder of its own) falls back to the byte-identical copy kept in
 * tests/fixtures/vectors, so the acceptance tests always run and never skip.
 */
const REPO_ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));

export function vectorsDir(): string {
  const candidates = [path.resolve(REPO_ROOT, '../shared/vectors')];
  try {
    const commonDir = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    }).trim();
    candidates.push(path.resolve(path.dirname(commonDir), '../shared/vectors'));
  } catch {
    // Not a git checkout (e.g. an unpacked tarball): only the sibling folder can hold them.
  }
  candidates.push(path.join(REPO_ROOT, 'tests/fixtures/vectors'));
  const found = candidates.find((candidate) => existsSync(path.join(candidate, 'clinic-400', 'expected.json')));
  if (!found) throw new Error(`test vectors not found; looked in ${candidates.join(', ')}`);
  return found;
}

export interface Vector {
  id: string;
  path: string;
  params: Record<string, string>;
  expected: any;
}

export function clinic400(): { folder: string; vectors: Vector[] } {
  const folder = path.join(vectorsDir(), 'clinic-400');
  return { folder, vectors: JSON.parse(readFileSync(path.join(folder, 'expected.json'), 'utf8')) };
}
