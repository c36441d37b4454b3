// Bounded concurrency for many small file-system requests (discovery, the Runbooks view, insights'
// runbooks): enough in flight to keep the file system busy, few enough to stay light and to keep
// file handles well under the limit.

/** `work` over every item, `concurrency` at a time; the results in the items' order. */
export async function mapConcurrently<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let nextIndex = 0;
  const worker = async () => {
    while (nextIndex < items.length) {
      const index = nextIndex++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
