/** A number in [0, 1), like Math.random; injected so tests choose deterministically. */
export type RandomSource = () => number;

/** One of `items`, each as likely as its weight (a positive integer) among them all. */
export function pickWeighted<T extends { weight: number }>(items: readonly T[], random: RandomSource): T {
  if (!items.length) throw new Error('pickWeighted needs at least one item');
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  let point = random() * total;
  for (const item of items) {
    point -= item.weight;
    if (point < 0) return item;
  }
  return items.at(-1)!;
}
