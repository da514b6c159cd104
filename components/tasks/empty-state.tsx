import Link from "next/link";
import { CopyButton } from "@/components/ui/copy-button";

/** What a team sees before any work: how to make a task from the API, or from the library. */
export function EmptyActivity({ title, children, curl }: { title: string; children: React.ReactNode; curl: string }) {
  return (
    <div className="rounded-xl border border-dashed border-zinc-300 bg-white px-5 py-10 sm:px-8" data-testid="activity-empty">
      <div className="mx-auto max-w-lg text-center">
        <h2 className="text-sm font-semibold text-zinc-900">{title}</h2>
        <div className="mt-1.5 text-[13px] leading-relaxed text-zinc-500">{children}</div>
      </div>
      <div className="mx-auto mt-6 max-w-lg">
        <div className="flex items-center justify-between gap-2">
          <p className="text-xs font-medium text-zinc-500">
            From your app, with a key from <Link href="/dashboard/keys" className="text-indigo-600 underline underline-offset-2">API keys</Link>
          </p>
          <CopyButton value={curl} label="Copy the command" />
        </div>
        <pre className="mt-1.5 rounded-lg bg-zinc-900 px-4 py-3 font-mono text-xs leading-relaxed break-words whitespace-pre-wrap text-zinc-100 sm:whitespace-pre" data-testid="activity-empty-curl">
          {curl}
        </pre>
      </div>
    </div>
  );
}
