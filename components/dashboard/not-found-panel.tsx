import Link from "next/link";
import { ArrowRightIcon, FolderIcon } from "@/components/ui/icons";

/** "Not found" with the way back: used by the app's 404 page and inside the dashboard. */
export function NotFoundPanel({ backHref, backLabel }: { backHref: string; backLabel: string }) {
  return (
    <div className="flex flex-col items-center rounded-xl border border-zinc-200 bg-white px-6 py-14 text-center shadow-xs">
      <div className="flex size-10 items-center justify-center rounded-lg border border-zinc-200 bg-zinc-50 text-zinc-500">
        <FolderIcon className="size-5" />
      </div>
      <h1 className="mt-4 text-base font-semibold text-zinc-900">Page not found</h1>
      <p className="mt-1.5 max-w-md text-[13px] leading-relaxed text-zinc-500">
        There is nothing at this address. The link may be mistyped, or what it pointed to was deleted or belongs to a project you are not in.
      </p>
      <Link
        href={backHref}
        className="mt-5 inline-flex h-9 items-center gap-2 rounded-md bg-zinc-900 px-3.5 text-sm font-medium text-white shadow-sm hover:bg-zinc-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500"
      >
        {backLabel}
        <ArrowRightIcon className="size-4" />
      </Link>
    </div>
  );
}
