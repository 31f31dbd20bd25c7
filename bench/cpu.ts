import { readFileSync } from 'node:fs';

/**
 * CPU use read from Linux's /proc, to tell what a latency figure was measured under: a run on
 * this two-core virtual machine can be slowed by the host (steal) as much as by the server.
 * Elsewhere there is no /proc and every figure is undefined.
 */

/** USER_HZ: /proc counts CPU time in hundredths of a second on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

/** Starts counting a process's CPU time; the function it answers gives the milliseconds (user and system) used since. */
export function processCpuSince(pid: number): () => number | undefined {
  const start = processCpuMs(pid);
  return () => {
    const end = processCpuMs(pid);
    return start === undefined || end === undefined ? undefined : end - start;
  };
}

function processCpuMs(pid: number): number | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // The command name (field 2) may hold spaces; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

export interface HostCpu {
  /** Share of the machine's CPU time spent busy (100% = every core, all the time). */
  busy: number;
  /** Share taken by the hypervisor for other guests. */
  steal: number;
}

/** Starts counting the machine's CPU time; the function it answers gives the shares since. */
export function hostCpuSince(): () => HostCpu | undefined {
  const start = hostTicks();
  return () => {
    const end = hostTicks();
    if (!start || !end) return undefined;
    const total = end.total - start.total;
    if (total <= 0) return undefined;
    return { busy: (100 * (total - (end.idle - start.idle))) / total, steal: (100 * (end.steal - start.steal)) / total };
  };
}

function hostTicks(): { total: number; idle: number; steal: number } | undefined {
  const line = readProc('/proc/stat')?.split('\n', 1)[0];
  if (!line?.startsWith('cpu ')) return undefined;
  // user nice system idle iowait irq softirq steal (guest time is already counted in user).
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number) as number[];
  return { total: user! + nice! + system! + idle! + iowait! + irq! + softirq! + steal!, idle: idle! + iowait!, steal: steal! };
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
