import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second in /proc/PID/stat (USER_HZ on Linux). */
const TICKS = 100;

/** CPU seconds so far, resident memory and parent of one process from /proc/PID/stat; throws once it has ended. */
export function procStat(pid: number): { cpuS: number; rssMb: number; ppid: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { cpuS: (Number(fields[11]) + Number(fields[12])) / TICKS, rssMb: (Number(fields[21]) * 4096) / 1e6, ppid: Number(fields[1]) };
}

/** Every live process's children, by parent pid. */
export function childrenByParent(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const { ppid } = procStat(Number(entry));
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

/** CPU seconds and RSS of a process and all its descendants. */
export function treeUsage(pid: number): { cpuS: number; rssMb: number } {
  const children = childrenByParent();
  let cpuS = 0;
  let rssMb = 0;
  const visit = (p: number) => {
    try {
      const u = procStat(p);
      cpuS += u.cpuS;
      rssMb += u.rssMb;
    } catch {
      return;
    }
    for (const c of children.get(p) ?? []) visit(c);
  };
  visit(pid);
  return { cpuS, rssMb };
}

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
