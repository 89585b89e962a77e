/**
 * The environment the edge agent runs with, as the images set it (docker/entrypoint.sh, docs/deploy.md).
 * `MALLOC_MMAP_THRESHOLD_` fixes glibc's threshold for giving a block its own mapping at 64 KiB: frames, window
 * planes and batch buffers are then returned to the system when freed instead of raising the threshold and
 * staying in the heap after a burst (`npm run soak`: about 50 MB less resident memory with 16 cameras). A value
 * the caller already set wins.
 */
export function agentEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { MALLOC_MMAP_THRESHOLD_: '65536', ...base };
}
