"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ComponentType, SVGProps } from "react";
import { cn } from "@/components/ui/cn";
import { VideoIcon } from "@/components/media/icons";
import { ActivityIcon } from "@/components/tasks/icons";
import { DatabaseIcon, HomeIcon, KeyIcon, SettingsIcon, UsersIcon } from "@/components/ui/icons";

type NavItem = { href: string; label: string; icon: ComponentType<SVGProps<SVGSVGElement>>; isExact?: boolean };
type NavSection = { title: string; items: NavItem[] };

// Tasks and Webhooks join the "Project" section as they ship.
const SECTIONS: NavSection[] = [
  {
    title: "Project",
    items: [
      { href: "/dashboard", label: "Overview", icon: HomeIcon, isExact: true },
      { href: "/dashboard/media", label: "Media", icon: VideoIcon },
      { href: "/dashboard/tasks", label: "Tasks", icon: ActivityIcon },
      { href: "/dashboard/keys", label: "API keys", icon: KeyIcon },
      { href: "/dashboard/connections", label: "Connections", icon: DatabaseIcon },
      { href: "/dashboard/settings", label: "Settings", icon: SettingsIcon },
    ],
  },
  { title: "Organisation", items: [{ href: "/dashboard/team", label: "Team", icon: UsersIcon }] },
];

export function SidebarNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Dashboard" className="overflow-y-auto px-3 md:flex-1">
      {SECTIONS.map((section) => (
        <div key={section.title} className="mb-4">
          <div className="px-2 pb-1.5 text-[11px] font-medium tracking-wide text-zinc-500 uppercase">{section.title}</div>
          <ul className="space-y-0.5">
            {section.items.map(({ href, label, icon: Icon, isExact }) => {
              const isActive = isExact ? pathname === href : pathname === href || pathname.startsWith(`${href}/`);
              return (
                <li key={href}>
                  <Link
                    href={href}
                    aria-current={isActive ? "page" : undefined}
                    className={cn(
                      "flex items-center gap-2.5 rounded-md px-2 py-1.5 text-[13px] font-medium transition-colors",
                      isActive ? "bg-zinc-100 text-zinc-900" : "text-zinc-600 hover:bg-zinc-50 hover:text-zinc-900",
                    )}
                  >
                    <Icon className={cn("size-4", isActive ? "text-indigo-600" : "text-zinc-400")} />
                    {label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}
