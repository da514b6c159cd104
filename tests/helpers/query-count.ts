// Counts the Prisma operations (each one query, or one statement plus one per `include`) that code makes, by swapping
// the process's client for a counting extension of it while `fn` runs. Run nothing else against the database meanwhile.
import { db } from "@/lib/db/client";

type Holder = { __mediabitDb?: Promise<{ prisma: unknown }> };

export async function countQueries<T>(fn: () => Promise<T>): Promise<{ result: T; queries: number; operations: string[] }> {
  await db();
  const holder = globalThis as unknown as Holder;
  const original = holder.__mediabitDb!;
  const handle = await original;
  const operations: string[] = [];
  const counting = (handle.prisma as Awaited<ReturnType<typeof db>>).$extends({
    query: {
      async $allOperations({ model, operation, args, query }) {
        operations.push(`${model ?? "$"}.${operation}`);
        return query(args);
      },
    },
  });
  holder.__mediabitDb = Promise.resolve({ ...handle, prisma: counting });
  try {
    const result = await fn();
    return { result, queries: operations.length, operations };
  } finally {
    holder.__mediabitDb = original;
  }
}
