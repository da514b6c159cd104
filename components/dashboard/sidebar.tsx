"use client";

import { usePathname } from "next/navigation";
import { useState, type KeyboardEvent, type ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { MenuIcon, XIcon } from "@/components/ui/icons";

/**
 * The dashboard's side bar: fixed on the left from md up; on a phone a top bar whose menu button opens the project
 * switcher, navigation and account below it. Following a link closes it.
 */
export function Sidebar({ brand, children }: { brand: ReactNode; children: ReactNode }) {
  const pathname = usePathname();
  // Open for the page it was opened on: navigating elsewhere closes it without an effect.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const isOpen = openOn === pathname;

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    if (event.key === "Escape" && isOpen) setOpenOn(null);
  }

  return (
    <aside
      onKeyDown={onKeyDown}
      className="sticky top-0 z-20 flex flex-col border-b border-zinc-200 bg-white max-md:max-h-dvh md:fixed md:inset-y-0 md:left-0 md:w-60 md:border-r md:border-b-0"
    >
      <div className="flex h-14 shrink-0 items-center gap-2 px-4">
        {brand}
        <button
          type="button"
          className="-mr-1.5 ml-auto rounded-md p-2 text-zinc-600 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-indigo-500 md:hidden"
          aria-expanded={isOpen}
          aria-controls="dashboard-menu"
          aria-label={isOpen ? "Close menu" : "Open menu"}
          data-testid="nav-toggle"
          onClick={() => setOpenOn(isOpen ? null : pathname)}
        >
          {isOpen ? <XIcon className="size-5" /> : <MenuIcon className="size-5" />}
        </button>
      </div>
      <div id="dashboard-menu" className={cn("min-h-0 flex-col max-md:overflow-y-auto md:flex md:flex-1", isOpen ? "flex" : "hidden")}>
        {children}
      </div>
    </aside>
  );
}
