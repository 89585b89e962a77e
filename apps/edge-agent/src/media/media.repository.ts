import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { readdir, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';

/** Files stat'ed at once while pruning: enough to keep the disk busy, few enough to leave the thread pool to others. */
const STAT_CONCURRENCY = 16;

export interface PruneResult {
  deleted: number;
  freedBytes: number;
  keptBytes: number;
}

/** Event snapshots and clips on disk: <dir>/<camera>/<yyyy-mm-dd>/<event id>.jpg|.mp4, paths stored relative. */
export class MediaRepository {
  readonly dir: string;

  /** `dir` may be relative (to the working directory); files are served by absolute path. */
  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  relativePath(cameraId: string, eventId: string, startedAt: string, ext: 'jpg' | 'mp4'): string {
    return join(cameraId, startedAt.slice(0, 10), `${eventId}.${ext}`);
  }

  absolute(relativePath: string): string {
    const path = join(this.dir, relativePath);
    if (relative(this.dir, path).startsWith('..')) throw new Error(`media path escapes the media folder: ${relativePath}`);
    return path;
  }

  writeFile(relativePath: string, data: Buffer): void {
    const path = this.absolute(relativePath);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(`${path}.part`, data);
    renameSync(`${path}.part`, path);
  }

  /**
   * Deletes files older than maxAgeMs, then the oldest until the folder fits maxBytes, then the day folders left
   * empty. Asynchronous: a full disk budget holds 100 000 files or more, and walking them in one go stalls every
   * camera (about 0.1 s per 10 000 files here).
   */
  async prune(maxAgeMs: number, maxBytes: number, now: number): Promise<PruneResult> {
    const files = (await this.list()).sort((a, b) => a.mtime - b.mtime);
    let total = files.reduce((n, f) => n + f.size, 0);
    let deleted = 0;
    let freed = 0;
    const emptied = new Set<string>();
    for (const f of files) {
      if (f.mtime >= now - maxAgeMs && total <= maxBytes) break;
      await rm(f.path, { force: true });
      total -= f.size;
      freed += f.size;
      deleted++;
      emptied.add(dirname(f.path));
    }
    for (const dir of emptied) await rmdir(dir).catch(() => undefined); // still holds newer files
    return { deleted, freedBytes: freed, keptBytes: total };
  }

  private async list(): Promise<Array<{ path: string; size: number; mtime: number }>> {
    const out: Array<{ path: string; size: number; mtime: number }> = [];
    const walk = async (dir: string): Promise<void> => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return; // the folder does not exist yet: nothing to prune
      }
      const files = entries.filter((e) => e.isFile()).map((e) => join(dir, e.name));
      for (let i = 0; i < files.length; i += STAT_CONCURRENCY) {
        const stats = await Promise.all(
          files.slice(i, i + STAT_CONCURRENCY).map((path) =>
            stat(path).then(
              (st) => ({ path, size: st.size, mtime: st.mtimeMs }),
              () => undefined, // deleted or renamed since the listing
            ),
          ),
        );
        for (const f of stats) if (f) out.push(f);
      }
      for (const e of entries) if (e.isDirectory()) await walk(join(dir, e.name));
    };
    await walk(this.dir);
    return out;
  }
}
