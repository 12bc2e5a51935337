/**
 * Whether a process with this pid exists (signal 0 probes without signalling). EPERM means it exists
 * and belongs to someone else: alive. Every liveness check of the local stack (lock files, a running
 * `local up`) asks this one.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
