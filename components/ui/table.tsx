import type { ReactNode, TdHTMLAttributes, ThHTMLAttributes } from "react";
import { cn } from "@/components/ui/cn";

// Below md a stacked table shows each row as a card: cells one under another, each with its column's name.
const STACKED =
  "max-md:block max-md:[&_tbody]:block max-md:[&_thead]:hidden max-md:[&_tr]:flex max-md:[&_tr]:flex-col max-md:[&_tr]:gap-1.5 max-md:[&_tr]:px-4 max-md:[&_tr]:py-3 max-md:[&_td]:flex max-md:[&_td]:max-w-none max-md:[&_td]:min-w-0 max-md:[&_td]:items-center max-md:[&_td]:gap-3 max-md:[&_td]:p-0";

/**
 * A bordered table. `isStacked` turns rows into cards on narrow screens (give every Td a `label`); otherwise the
 * table scrolls inside its frame. `relative` keeps sr-only headers inside the frame, not widening the page.
 */
export function Table({ children, label, isStacked = false }: { children: ReactNode; label: string; isStacked?: boolean }) {
  return (
    <div className="relative overflow-x-auto rounded-xl border border-zinc-200 bg-white shadow-xs">
      <table className={cn("w-full border-collapse text-left text-[13px]", isStacked && STACKED)} aria-label={label}>
        {children}
      </table>
    </div>
  );
}

export function THead({ children }: { children: ReactNode }) {
  return (
    <thead className="border-b border-zinc-200 bg-zinc-50/80">
      <tr>{children}</tr>
    </thead>
  );
}

export function Th({ children, className, ...rest }: ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th scope="col" className={cn("px-4 py-2.5 text-xs font-medium whitespace-nowrap text-zinc-500", className)} {...rest}>
      {children}
    </th>
  );
}

type TdProps = TdHTMLAttributes<HTMLTableCellElement> & {
  /** The column's name, shown before the value when a stacked table shows rows as cards. */
  label?: string;
};

export function Td({ children, className, label, ...rest }: TdProps) {
  return (
    <td
      data-label={label}
      className={cn(
        "px-4 py-3 align-middle text-zinc-700",
        label && "max-md:before:w-24 max-md:before:shrink-0 max-md:before:text-xs max-md:before:text-zinc-500 max-md:before:content-[attr(data-label)]",
        className,
      )}
      {...rest}
    >
      {children}
    </td>
  );
}
