"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { cn } from "@/components/ui/cn";

type MenuProps = {
  /** Renders the trigger; spread the given props onto a <button>. */
  trigger: (props: { "aria-haspopup": "menu"; "aria-expanded": boolean; "aria-controls": string; onClick: () => void }) => ReactNode;
  children: (close: () => void) => ReactNode;
  side?: "top" | "bottom";
  className?: string;
};

/** A small popover menu: opens under (or over) its trigger, closes on Escape, outside clicks and choice. */
export function Menu({ trigger, children, side = "bottom", className }: MenuProps) {
  const [isOpen, setIsOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const id = useId();

  useEffect(() => {
    if (!isOpen) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setIsOpen(false);
    };
    document.addEventListener("pointerdown", onPointerDown);
    panelRef.current?.querySelector<HTMLElement>("[role=menuitem]")?.focus();
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [isOpen]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === "Escape") {
      setIsOpen(false);
      rootRef.current?.querySelector<HTMLElement>("[aria-haspopup]")?.focus();
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    event.preventDefault();
    const items = Array.from(panelRef.current?.querySelectorAll<HTMLElement>("[role=menuitem]") ?? []);
    const at = items.indexOf(document.activeElement as HTMLElement);
    const next = event.key === "ArrowDown" ? (at + 1) % items.length : (at - 1 + items.length) % items.length;
    items[next]?.focus();
  }

  return (
    <div ref={rootRef} className="relative" onKeyDown={onKeyDown}>
      {trigger({ "aria-haspopup": "menu", "aria-expanded": isOpen, "aria-controls": id, onClick: () => setIsOpen((open) => !open) })}
      {isOpen ? (
        <div
          ref={panelRef}
          id={id}
          role="menu"
          className={cn(
            "absolute left-0 z-30 min-w-full rounded-lg border border-zinc-200 bg-white p-1 shadow-lg",
            side === "bottom" ? "top-full mt-1" : "bottom-full mb-1",
            className,
          )}
        >
          {children(() => {
            setIsOpen(false);
            // A chosen item disappears with the menu: focus goes back to the trigger, not to <body>.
            rootRef.current?.querySelector<HTMLElement>("[aria-haspopup]")?.focus();
          })}
        </div>
      ) : null}
    </div>
  );
}

export function MenuItem({ children, onSelect, className, isActive }: { children: ReactNode; onSelect: () => void; className?: string; isActive?: boolean }) {
  return (
    <button
      type="button"
      role="menuitem"
      onClick={onSelect}
      className={cn(
        "flex w-full items-center gap-2 rounded-md px-2 py-1.5 text-left text-[13px] text-zinc-700 outline-none hover:bg-zinc-100 focus:bg-zinc-100",
        isActive && "font-medium text-zinc-900",
        className,
      )}
    >
      {children}
    </button>
  );
}

export function MenuLabel({ children }: { children: ReactNode }) {
  return <div className="px-2 pt-1.5 pb-1 text-[11px] font-medium tracking-wide text-zinc-500 uppercase">{children}</div>;
}

export function MenuSeparator() {
  return <div className="my-1 h-px bg-zinc-100" role="separator" />;
}
