import type { ReactNode } from "react";

export function Section({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="rounded-xl border border-zinc-200 bg-white shadow-xs" aria-label={title}>
      <div className="flex items-center justify-between gap-3 border-b border-zinc-100 px-4 py-2.5">
        <h2 className="text-[13px] font-semibold text-zinc-900">{title}</h2>
        {actions}
      </div>
      <div className="px-4 py-3">{children}</div>
    </section>
  );
}

/** Label/value pairs that stack on a phone. */
export function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-[13px] sm:grid-cols-[max-content_1fr]">
      {items.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-zinc-500">{label}</dt>
          <dd className="-mt-1.5 min-w-0 break-words text-zinc-900 sm:mt-0">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Json({ value }: { value: unknown }) {
  return <pre className="overflow-x-auto rounded-md bg-zinc-50 px-3 py-2 font-mono text-xs leading-relaxed whitespace-pre-wrap break-all text-zinc-800">{JSON.stringify(value, null, 2)}</pre>;
}
