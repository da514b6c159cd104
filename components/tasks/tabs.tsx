"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";

const TABS = [
  { href: "/dashboard/tasks", label: "Tasks" },
  { href: "/dashboard/runs", label: "Runs" },
  { href: "/dashboard/jobs", label: "Jobs" },
];

/** Tasks, runs and jobs: three lists of the same work, one tab each. */
export function ActivityTabs() {
  const pathname = usePathname();
  return (
    <nav aria-label="Work" className="mb-5 flex gap-1 border-b border-zinc-200">
      {TABS.map((tab) => {
        const isActive = pathname === tab.href;
        return (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={isActive ? "page" : undefined}
            className={cn(
              "-mb-px border-b-2 px-3 py-2 text-[13px] font-medium transition-colors",
              isActive ? "border-indigo-600 text-zinc-900" : "border-transparent text-zinc-500 hover:text-zinc-900",
            )}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
