"use client";

import Link from "next/link";
import { signOutAction } from "@/lib/dashboard/actions/workspace";
import { LogOutIcon, ChevronsUpDownIcon, SettingsIcon } from "@/components/ui/icons";
import { Menu } from "@/components/ui/menu";

function initials(name: string | null, email: string): string {
  const source = name?.trim() || email;
  const parts = source.split(/[\s@._-]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "") + (name ? (parts[1]?.[0] ?? "") : "")).toUpperCase() || "?";
}

export function UserMenu({ email, name }: { email: string; name: string | null }) {
  return (
    <Menu
      side="top"
      trigger={(props) => (
        <button
          type="button"
          {...props}
          className="flex w-full items-center gap-2.5 rounded-md px-2 py-1.5 text-left hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-indigo-500"
          aria-label="Account"
          title={email}
        >
          <span className="flex size-7 shrink-0 items-center justify-center rounded-full bg-zinc-900 text-[11px] font-semibold text-white">{initials(name, email)}</span>
          <span className="min-w-0 flex-1">
            {name ? <span className="block truncate text-[13px] font-medium text-zinc-900">{name}</span> : null}
            <span className={name ? "block truncate text-xs text-zinc-500" : "block truncate text-[13px] font-medium text-zinc-900"}>{email}</span>
          </span>
          <ChevronsUpDownIcon className="size-3.5 shrink-0 text-zinc-400" />
        </button>
      )}
    >
      {(close) => (
        <>
          <Link
            href="/dashboard/account"
            role="menuitem"
            onClick={close}
            className="flex w-full items-center gap-2 rounded-md px-2 py-1.5 text-left text-[13px] text-zinc-700 outline-none hover:bg-zinc-100 focus:bg-zinc-100"
          >
            <SettingsIcon className="size-4 text-zinc-400" />
            Account and password
          </Link>
          <form action={signOutAction}>
          <button
            type="submit"
            role="menuitem"
            className="flex w-full items-center gap-2 rounded-md px-2 py-1.5 text-left text-[13px] text-zinc-700 outline-none hover:bg-zinc-100 focus:bg-zinc-100"
          >
            <LogOutIcon className="size-4 text-zinc-400" />
            Sign out
          </button>
          </form>
        </>
      )}
    </Menu>
  );
}
