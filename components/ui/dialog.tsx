"use client";

import * as RadixDialog from "@radix-ui/react-dialog";
import { useLayoutEffect, useRef, type ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { XIcon } from "@/components/ui/icons";

type DialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  /** Wider dialogs hold two-column forms. */
  size?: "sm" | "md" | "lg";
  /** The one trigger, rendered in place (e.g. a "Create key" button). */
  trigger?: ReactNode;
  /** Block Escape and outside clicks (a secret shown once must be dismissed on purpose). */
  isDismissable?: boolean;
  /** Where focus goes on close when the opener may be gone by then (asked at close time; null keeps the default). */
  returnFocusTo?: () => HTMLElement | null;
};

const WIDTHS = { sm: "max-w-md", md: "max-w-lg", lg: "max-w-2xl" };

export function Dialog({ open, onOpenChange, title, description, children, size = "sm", trigger, isDismissable = true, returnFocusTo: chooseReturnFocus }: DialogProps) {
  const hasTrigger = Boolean(trigger);
  const returnFocusTo = useRef<HTMLElement | null>(null);
  // Radix returns focus only to a Dialog.Trigger; a dialog opened from elsewhere remembers what had focus before it
  // (layout effects run before Radix moves focus into the dialog).
  useLayoutEffect(() => {
    if (!open || hasTrigger) return;
    const active = document.activeElement;
    returnFocusTo.current = active instanceof HTMLElement && active !== document.body ? active : null;
  }, [open, hasTrigger]);

  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      {trigger ? <RadixDialog.Trigger asChild>{trigger}</RadixDialog.Trigger> : null}
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-zinc-950/40 backdrop-blur-[2px]" />
        <RadixDialog.Content
          className={cn(
            "fixed top-1/2 left-1/2 z-50 flex max-h-[calc(100dvh-2rem)] w-[calc(100vw-2rem)] -translate-x-1/2 -translate-y-1/2 flex-col rounded-xl border border-zinc-200 bg-white shadow-xl focus:outline-none",
            WIDTHS[size],
          )}
          onEscapeKeyDown={(event) => {
            if (!isDismissable) event.preventDefault();
          }}
          onPointerDownOutside={(event) => {
            if (!isDismissable) event.preventDefault();
          }}
          onInteractOutside={(event) => {
            if (!isDismissable) event.preventDefault();
          }}
          onCloseAutoFocus={(event) => {
            const chosen = chooseReturnFocus?.() ?? null;
            if (hasTrigger && !chosen) return;
            event.preventDefault();
            // The opener may be gone: the page's main region takes focus instead of <body>.
            const target = chosen ?? (returnFocusTo.current?.isConnected ? returnFocusTo.current : document.getElementById("main-content"));
            target?.focus();
          }}
          {...(description ? {} : { "aria-describedby": undefined })}
        >
          <div className="flex items-start justify-between gap-4 border-b border-zinc-100 px-5 pt-4 pb-3.5">
            <div className="min-w-0">
              <RadixDialog.Title className="text-[15px] font-semibold text-zinc-900">{title}</RadixDialog.Title>
              {description ? <RadixDialog.Description className="mt-1 text-[13px] text-zinc-500">{description}</RadixDialog.Description> : null}
            </div>
            {isDismissable ? (
              <RadixDialog.Close className="-mr-1.5 rounded-md p-1 text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700 focus-visible:outline-2 focus-visible:outline-indigo-500" aria-label="Close">
                <XIcon className="size-4" />
              </RadixDialog.Close>
            ) : null}
          </div>
          <div className="overflow-y-auto">{children}</div>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

export function DialogBody({ children, className }: { children: ReactNode; className?: string }) {
  return <div className={cn("space-y-4 px-5 py-4", className)}>{children}</div>;
}

export function DialogFooter({ children }: { children: ReactNode }) {
  return <div className="flex flex-wrap items-center justify-end gap-2 rounded-b-xl border-t border-zinc-100 bg-zinc-50/70 px-5 py-3">{children}</div>;
}
