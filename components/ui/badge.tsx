import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";

type Tone = "neutral" | "accent" | "green" | "red" | "amber";

const TONES: Record<Tone, string> = {
  neutral: "bg-zinc-100 text-zinc-600 ring-zinc-500/15",
  accent: "bg-indigo-50 text-indigo-700 ring-indigo-600/20",
  green: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
  red: "bg-red-50 text-red-700 ring-red-600/15",
  amber: "bg-amber-50 text-amber-800 ring-amber-600/20",
};

export function Badge({ tone = "neutral", children, className }: { tone?: Tone; children: ReactNode; className?: string }) {
  return (
    <span className={cn("inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset", TONES[tone], className)}>
      {children}
    </span>
  );
}

export function StatusDot({ tone }: { tone: "green" | "red" | "zinc" | "amber" }) {
  const colour = { green: "bg-emerald-500", red: "bg-red-500", zinc: "bg-zinc-400", amber: "bg-amber-500" }[tone];
  return <span className={cn("inline-block size-1.5 rounded-full", colour)} aria-hidden="true" />;
}
