"use client";

import { cn } from "@/components/ui/cn";

export type ActivityFilterValues = { status: string; kind: string; since: string };
export const NO_FILTERS: ActivityFilterValues = { status: "", kind: "", since: "" };

const SINCE_MS: Record<string, number> = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 };

/** The filters as the list actions take them: a status group, a kind, and a creation date bound. */
export function toQuery(values: ActivityFilterValues): { status?: "active" | "succeeded" | "failed" | "cancelled"; kind?: string; createdAfter?: string } {
  const since = SINCE_MS[values.since];
  return {
    ...(values.status ? { status: values.status as "active" } : {}),
    ...(values.kind ? { kind: values.kind } : {}),
    ...(since ? { createdAfter: new Date(Math.floor((Date.now() - since) / 60_000) * 60_000).toISOString() } : {}),
  };
}

function Select({ label, value, onChange, options }: { label: string; value: string; onChange: (value: string) => void; options: [string, string][] }) {
  return (
    <label className="flex min-w-0 flex-1 flex-col gap-1 text-xs font-medium text-zinc-500 sm:flex-none">
      {label}
      <select
        value={value}
        onChange={(event) => onChange(event.target.value)}
        className="h-9 rounded-md border border-zinc-200 bg-white px-2.5 text-[13px] text-zinc-900 shadow-xs focus-visible:outline-2 focus-visible:outline-indigo-500 sm:min-w-36"
      >
        {options.map(([option, text]) => (
          <option key={option} value={option}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

export function ActivityFilters({ values, onChange, kinds, className }: { values: ActivityFilterValues; onChange: (values: ActivityFilterValues) => void; kinds?: string[]; className?: string }) {
  return (
    <div className={cn("mb-4 flex flex-wrap items-end gap-3", className)}>
      <Select
        label="Status"
        value={values.status}
        onChange={(status) => onChange({ ...values, status })}
        options={[
          ["", "Any status"],
          ["active", "Queued or processing"],
          ["succeeded", "Succeeded"],
          ["failed", "Failed"],
          ["cancelled", "Cancelled"],
        ]}
      />
      {kinds ? <Select label="Kind" value={values.kind} onChange={(kind) => onChange({ ...values, kind })} options={[["", "Any kind"], ...kinds.map((kind): [string, string] => [kind, kind])]} /> : null}
      <Select
        label="Created"
        value={values.since}
        onChange={(since) => onChange({ ...values, since })}
        options={[
          ["", "Any time"],
          ["1h", "In the last hour"],
          ["24h", "In the last 24 hours"],
          ["7d", "In the last 7 days"],
          ["30d", "In the last 30 days"],
        ]}
      />
    </div>
  );
}
