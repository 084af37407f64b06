/**
 * Queries of one transaction, one after another, shaped like Promise.all's answer. A transaction
 * holds one connection, and PostgreSQL's driver runs one query at a time on it (it queues the
 * rest, and pg 9 will refuse them): asking for several at once gains nothing and warns.
 */
export async function inTurn<const T extends readonly (() => Promise<unknown>)[]>(
  work: T,
): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  const results: unknown[] = [];
  for (const next of work) results.push(await next());
  return results as { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };
}
