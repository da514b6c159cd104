"use client";

import { useEffect, useState } from "react";
import { cn } from "@/components/ui/cn";
import { CheckIcon, CopyIcon } from "@/components/ui/icons";

const TONES = {
  light: "text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900",
  // On a dark panel (a terminal): light enough to read.
  dark: "text-zinc-300 hover:bg-zinc-800 hover:text-zinc-100",
};

type CopyButtonProps = { value: string; label?: string; className?: string; showLabel?: boolean; tone?: keyof typeof TONES };

/** Copies `value`; says "Copied" for a moment so people know it worked. */
export function CopyButton({ value, label = "Copy", className, showLabel = false, tone = "light" }: CopyButtonProps) {
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
        "inline-flex shrink-0 items-center gap-1.5 rounded-md px-2 py-1 text-xs font-medium transition-colors focus-visible:outline-2 focus-visible:outline-indigo-500",
        TONES[tone],
        className,
      )}
    >
      {isCopied ? <CheckIcon className="size-3.5 text-emerald-600" /> : <CopyIcon className="size-3.5" />}
      {showLabel ? <span>{isCopied ? "Copied" : label}</span> : null}
    </button>
  );
}
