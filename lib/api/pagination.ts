// Both pagination styles on every list: `page`/`limit` (A/B) and cursor `after`/`before` (C/D).
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import type { PageInfo } from "@/lib/api/render";
import type { Profile } from "@/lib/api/version";

export const ZListQuery = z.object({
  page: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  after: z.string().min(1).optional(),
  before: z.string().min(1).optional(),
  order: z.enum(["asc", "desc"]).optional(),
});
export type TListQuery = z.infer<typeof ZListQuery>;

/** How a list pages when the caller names neither `page` nor a cursor: numbered pages with totals, or cursors. */
export type PageMode = "pages" | "cursor";

/** The API's default per version profile: cursors for `latest` (C/D), numbered pages before it (A/B). */
export function pageModeFor(profile: Profile): PageMode {
  return profile.name === "current" ? "cursor" : "pages";
}

type Direction = "asc" | "desc";
export type OrderBy = [{ createdAt: Direction }, { id: Direction }];
export type CursorWhere = {
  OR: [{ createdAt: { lt: Date } | { gt: Date } }, { createdAt: Date; id: { lt: string } | { gt: string } }];
};
type Row = { id: string; createdAt: Date };

export type PaginateArgs<T extends Row> = {
  query: TListQuery;
  mode: PageMode;
  defaultLimit?: number;
  count: () => Promise<number>;
  fetch: (args: { where?: CursorWhere; orderBy: OrderBy; skip: number; take: number }) => Promise<T[]>;
  findCursor: (id: string) => Promise<Row | null>;
};

function beyond(cursor: Row, direction: Direction): CursorWhere {
  const op = direction === "desc" ? "lt" : "gt";
  return {
    OR: [
      { createdAt: { [op]: cursor.createdAt } as { lt: Date } },
      { createdAt: cursor.createdAt, id: { [op]: cursor.id } as { lt: string } },
    ],
  };
}

const flip = (direction: Direction): Direction => (direction === "desc" ? "asc" : "desc");

export async function paginate<T extends Row>(args: PaginateArgs<T>): Promise<{ items: T[]; page: PageInfo }> {
  const { query, mode } = args;
  const limit = query.limit ?? args.defaultLimit ?? 20;
  const order: Direction = query.order ?? "desc";
  const orderBy = (direction: Direction): OrderBy => [{ createdAt: direction }, { id: direction }];
  const useCursor = Boolean(query.after || query.before) || (query.page === undefined && mode === "cursor");

  if (!useCursor) {
    const page = query.page ?? 1;
    const [total, items] = await Promise.all([
      args.count(),
      args.fetch({ orderBy: orderBy(order), skip: (page - 1) * limit, take: limit }),
    ]);
    const pages = Math.ceil(total / limit);
    return { items, page: { limit, hasMore: page < pages, page: { page, total, pages } } };
  }

  if (query.after && query.before) throw new AppError("request_invalid", "Send either `after` or `before`, not both.");
  const cursorId = (query.after ?? query.before) as string | undefined;
  let cursor: Row | null = null;
  if (cursorId) {
    cursor = await args.findCursor(cursorId);
    if (!cursor) {
      const field = query.after ? "after" : "before";
      throw new AppError("request_invalid", `${field}: no object with id '${cursorId}' in this list.`, [
        { field, message: "unknown cursor" },
      ]);
    }
  }
  if (query.before && cursor) {
    const rows = await args.fetch({ where: beyond(cursor, flip(order)), orderBy: orderBy(flip(order)), skip: 0, take: limit + 1 });
    const hasPrevious = rows.length > limit;
    const items = rows.slice(0, limit).reverse();
    return { items, page: { limit, hasMore: true, cursor: { first: items[0]?.id, last: items.at(-1)?.id, hasPrevious } } };
  }
  const rows = await args.fetch({
    where: cursor ? beyond(cursor, order) : undefined,
    orderBy: orderBy(order),
    skip: 0,
    take: limit + 1,
  });
  const items = rows.slice(0, limit);
  return {
    items,
    page: { limit, hasMore: rows.length > limit, cursor: { first: items[0]?.id, last: items.at(-1)?.id, hasPrevious: Boolean(cursor) } },
  };
}
