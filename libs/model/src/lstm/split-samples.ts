/**
 * Splits samples over `bins` threads so their summed costs are even: longest first, each to the least
 * loaded bin. Bin 0 is the main thread's. Empty bins are dropped from the end, so the result may be
 * shorter than `bins` (never empty when there are samples).
 */
export function splitSamples(costs: ArrayLike<number>, bins: number): Int32Array[] {
  const order = Array.from({ length: costs.length }, (_, i) => i).sort((a, b) => costs[b] - costs[a] || a - b);
  const load = new Array<number>(Math.max(1, bins)).fill(0);
  const members: number[][] = load.map(() => []);
  for (const i of order) {
    let best = 0;
    for (let b = 1; b < load.length; b++) if (load[b] < load[best]) best = b;
    load[best] += Math.max(1, costs[i]);
    members[best].push(i);
  }
  while (members.length > 1 && members[members.length - 1].length === 0) members.pop();
  return members.map((m) => Int32Array.from(m.sort((a, b) => a - b)));
}
