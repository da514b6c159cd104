"use client";

import { useEffect, useState } from "react";
import { cn } from "@/components/ui/cn";
import { CheckIcon, CopyIcon } from "@/components/ui/icons";

/** Copies `value`; says "Copied" for a moment so people know it worked. */
export function CopyButton({ value, label = "Copy", className, showLabel = false }: { value: string; label?: string; className?: string; showLabel?: boolean }) {
  const [isCopied, setIsCopied] = useState(false);
  useEffect(() => {
    if (!isCopied) return;
    const timer = setTimeout(() => setIsCopied(false), 1600);
    return () => clearTimeout(timer);
  }, [isCopied]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      // Clipboard API refused (insecure origin): fall back to a hidden textarea.
      const area = document.createElement("textarea");
      area.value = value;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    setIsCopied(true);
  }

  return (
    <button
      type="button"
      onClick={copy}
      aria-label={isCopied ? "Copied" : label}
      title={isCopied ? "Copied" : label}
      className={cn(
        "inline-flex shrink-0 items-center gap-1.5 rounded-md px-2 py-1 text-xs font-medium text-zinc-500 transition-colors hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-indigo-500",
        className,
      )}
    >
      {isCopied ? <CheckIcon className="size-3.5 text-emerald-600" /> : <CopyIcon className="size-3.5" />}
      {showLabel ? <span>{isCopied ? "Copied" : label}</span> : null}
    </button>
  );
}
