import { link, mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExternalDataFile } from '../../backend/backend.js';
import { LmttError } from '../../errors.js';

/**
 * How a session finds its external data in Node. ONNX Runtime memory-maps
 * file-backed initializers it finds under `folder` (no copy in JavaScript, the
 * pages shared with the OS file cache); `inMemory` entries are bytes or file
 * paths the worker reads (a copy: the fallback).
 */
export interface ExternalDataPlacement {
  /** For `session.model_external_initializers_file_folder_path`. */
  readonly folder?: string;
  /** For ONNX Runtime's `externalData`; a string `data` is a file path the worker reads. */
  readonly inMemory: readonly { path: string; data: Uint8Array | string }[];
  /** Removes the staging folder, if any; safe as soon as the session exists. */
  cleanup(): Promise<void>;
}

interface FileEntry {
  readonly location: string;
  /** The path as given, made absolute. */
  readonly path: string;
  /** The path with every symlink resolved. */
  readonly real: string;
}

let warnedCopy = false;

/**
 * Decides how ONNX Runtime reaches each external-data file without reading it
 * into JavaScript. ONNX Runtime 1.30 only opens `location`s that are relative,
 * free of `..`, and whose real path (symlinks resolved) stays inside the
 * folder, so:
 * 1. when every file sits at `<folder>/<location>` inside one folder, that
 *    folder is used as is;
 * 2. otherwise (files in several folders, Hugging Face cache symlinks, names
 *    that differ from `location`) a temporary folder gets a hard link named
 *    `location` to each real file;
 * 3. a file that cannot be hard-linked (another file system) is read into
 *    memory by the worker, with a process warning.
 *
 * @throws LmttError `MODEL_FILE_MISSING` when a file does not exist or is not local.
 * @throws LmttError `INTERNAL` when a location could escape its folder.
 */
export async function placeExternalData(
  files: readonly ExternalDataFile[] = [],
): Promise<ExternalDataPlacement> {
  const inMemory: { path: string; data: Uint8Array | string }[] = [];
  const onDisk: FileEntry[] = [];
  for (const { location, source } of files) {
    checkLocation(location);
    if (source instanceof Uint8Array) inMemory.push({ path: location, data: source });
    else onDisk.push(await fileEntry(location, source));
  }
  const none = async () => {};
  if (onDisk.length === 0) return { inMemory, cleanup: none };

  const folder = await commonFolder(onDisk);
  if (folder) return { folder, inMemory, cleanup: none };

  const staging = await realpath(await mkdtemp(join(tmpdir(), 'lmtt-weights-')));
  for (const entry of onDisk) {
    const target = join(staging, entry.location);
    try {
      await mkdir(dirname(target), { recursive: true });
      await link(entry.real, target);
    } catch (error) {
      warnCopy(entry, error);
      inMemory.push({ path: entry.location, data: entry.real });
    }
  }
  return {
    folder: staging,
    inMemory,
    cleanup: () => rm(staging, { recursive: true, force: true }),
  };
}

function checkLocation(location: string): void {
  const normal = normalize(location);
  if (!location || isAbsolute(location) || normal === '..' || normal.startsWith(`..${sep}`)) {
    throw new LmttError(
      'INTERNAL',
      `external data location "${location}" must be a relative path that stays inside the model folder`,
    );
  }
}

async function fileEntry(location: string, source: string | URL): Promise<FileEntry> {
  let path: string;
  try {
    path = resolve(
      typeof source === 'string' && !source.startsWith('file:') ? source : fileURLToPath(source),
    );
  } catch (cause) {
    throw new LmttError(
      'MODEL_FILE_MISSING',
      `external data "${location}": Node backends read weights from local files, not ${String(source)}`,
      { cause },
    );
  }
  try {
    return { location, path, real: await realpath(path) };
  } catch (cause) {
    throw new LmttError('MODEL_FILE_MISSING', `external data "${location}": ${path} not found`, {
      cause,
    });
  }
}

/** The one folder F with every path at `F/location` and every real path inside real(F). */
async function commonFolder(entries: readonly FileEntry[]): Promise<string | undefined> {
  const folders = new Set<string>();
  for (const { location, path } of entries) {
    const suffix = sep + normalize(location);
    if (!path.endsWith(suffix)) return undefined;
    folders.add(path.slice(0, -suffix.length) || sep);
  }
  const [folder] = [...folders];
  if (folders.size !== 1 || folder === undefined) return undefined;
  const real = await realpath(folder);
  const inside = entries.every(({ real: file }) =>
    file.startsWith(real === sep ? sep : real + sep),
  );
  return inside ? real : undefined;
}

function warnCopy(entry: FileEntry, error: unknown): void {
  if (warnedCopy) return;
  warnedCopy = true;
  const reason = error instanceof Error ? error.message : String(error);
  process.emitWarning(
    `${entry.real} cannot be hard-linked next to the graph (${reason}); its weights are read into memory instead of memory-mapped. Keep model files on the same file system as ${tmpdir()} (or set TMPDIR) to avoid the copy.`,
    { code: 'LMTT_WEIGHTS_COPIED' },
  );
}
