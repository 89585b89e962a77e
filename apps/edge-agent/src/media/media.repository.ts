import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export interface PruneResult {
  deleted: number;
  freedBytes: number;
  keptBytes: number;
}

/** Event snapshots and clips on disk: <dir>/<camera>/<yyyy-mm-dd>/<event id>.jpg|.mp4, paths stored relative. */
export class MediaRepository {
  constructor(readonly dir: string) {}

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

  /** Deletes files older than maxAgeMs, then the oldest until the folder fits maxBytes. */
  prune(maxAgeMs: number, maxBytes: number, now: number): PruneResult {
    const files = this.list().sort((a, b) => a.mtime - b.mtime);
    let total = files.reduce((n, f) => n + f.size, 0);
    let deleted = 0;
    let freed = 0;
    for (const f of files) {
      if (f.mtime >= now - maxAgeMs && total <= maxBytes) break;
      rmSync(f.path, { force: true });
      total -= f.size;
      freed += f.size;
      deleted++;
    }
    return { deleted, freedBytes: freed, keptBytes: total };
  }

  private list(): Array<{ path: string; size: number; mtime: number }> {
    const out: Array<{ path: string; size: number; mtime: number }> = [];
    const walk = (dir: string) => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return; // the folder does not exist yet: nothing to prune
      }
      for (const e of entries) {
        const path = join(dir, e.name);
        if (e.isDirectory()) walk(path);
        else if (e.isFile()) {
          const st = statSync(path);
          out.push({ path, size: st.size, mtime: st.mtimeMs });
        }
      }
    };
    walk(this.dir);
    return out;
  }
}
