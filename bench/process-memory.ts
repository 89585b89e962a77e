import { readFileSync } from 'node:fs';

/**
 * A process's resident memory by kind, from /proc/PID/smaps: the main malloc heap (`[heap]`, where the event loop
 * thread's allocations land) and other anonymous memory (the V8 heap, large buffers, thread arenas, onnxruntime);
 * file-backed pages (code) are left out. Says which part grows when the total does.
 */
export function residentByKind(pid: number | 'self'): { mallocHeapMb: number; anonymousMb: number } {
  const kb = { heap: 0, anon: 0, file: 0 };
  let kind: keyof typeof kb = 'anon';
  try {
    for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
      const mapping = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
      if (mapping) kind = mapping[1] === '[heap]' ? 'heap' : mapping[1].startsWith('/') ? 'file' : 'anon';
      else if (line.startsWith('Rss:')) kb[kind] += Number(line.split(/\s+/)[1]);
    }
  } catch {
    // gone
  }
  return { mallocHeapMb: kb.heap / 1024, anonymousMb: kb.anon / 1024 };
}
