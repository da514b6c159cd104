"use client";

import { useEffect, useState } from "react";
import { UploadIcon } from "@/components/media/icons";

function carriesFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes("Files");
}

/** The whole window takes dropped files while this is mounted; an overlay says so while files are dragged over it. */
export function DropOverlay({ onFiles, folder }: { onFiles: (files: File[]) => void; folder: string }) {
  const [isDragging, setIsDragging] = useState(false);
  useEffect(() => {
    // dragenter/dragleave fire for every child element crossed: count them so the overlay does not flicker.
    let depth = 0;
    const enter = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth++;
      setIsDragging(true);
    };
    const over = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      // Without this the browser opens the dropped file instead of handing it to the page.
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
    };
    const leave = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setIsDragging(false);
    };
    const drop = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth = 0;
      setIsDragging(false);
      const files = Array.from(event.dataTransfer?.files ?? []);
      if (files.length > 0) onFiles(files);
    };
    window.addEventListener("dragenter", enter);
    window.addEventListener("dragover", over);
    window.addEventListener("dragleave", leave);
    window.addEventListener("drop", drop);
    return () => {
      window.removeEventListener("dragenter", enter);
      window.removeEventListener("dragover", over);
      window.removeEventListener("drop", drop);
      window.removeEventListener("dragleave", leave);
    };
  }, [onFiles]);
  if (!isDragging) return null;
  return (
    <div className="pointer-events-none fixed inset-0 z-50 flex items-center justify-center bg-indigo-950/30 p-6 backdrop-blur-[1px]" data-testid="drop-overlay">
      <div className="flex max-w-sm flex-col items-center rounded-2xl border-2 border-dashed border-indigo-400 bg-white px-8 py-10 text-center shadow-xl">
        <div className="flex size-11 items-center justify-center rounded-full bg-indigo-50 text-indigo-600">
          <UploadIcon className="size-5" />
        </div>
        <p className="mt-3 text-sm font-semibold text-zinc-900">Drop to upload</p>
        <p className="mt-1 text-[13px] text-zinc-500">{folder ? `Into the folder ${folder}` : "Videos, audio and images, as many as you like"}</p>
      </div>
    </div>
  );
}
