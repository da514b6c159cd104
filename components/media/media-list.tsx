"use client";

import type { ComponentType, SVGProps } from "react";
import { formatBytes, formatDuration } from "@/components/media/format";
import { AudioIcon, FileIcon, ImageIcon, VideoIcon } from "@/components/media/icons";
import { Badge } from "@/components/ui/badge";
import { Spinner } from "@/components/ui/icons";
import { RelativeTime } from "@/components/ui/relative-time";
import type { MediaItemView } from "@/lib/dashboard/queries";

const KIND_ICONS: Record<string, ComponentType<SVGProps<SVGSVGElement>>> = { video: VideoIcon, image: ImageIcon, audio: AudioIcon };

const STATUS = {
  waiting: { tone: "neutral", label: "Waiting" },
  processing: { tone: "amber", label: "Processing" },
  ready: { tone: "green", label: "Ready" },
  failed: { tone: "red", label: "Failed" },
} as const;

function Thumbnail({ item }: { item: MediaItemView }) {
  const Icon = (item.kind && KIND_ICONS[item.kind]) || FileIcon;
  return (
    <div className="flex size-12 shrink-0 items-center justify-center overflow-hidden rounded-md border border-zinc-200 bg-zinc-50 text-zinc-400">
      {item.thumbnailUrl ? (
        <img src={item.thumbnailUrl} alt="" loading="lazy" className="size-full object-cover" />
      ) : (
        <Icon className="size-5" />
      )}
    </div>
  );
}

function details(item: MediaItemView): string {
  const parts: string[] = [item.kind ? item.kind.charAt(0).toUpperCase() + item.kind.slice(1) : "File"];
  if (item.size > 0) parts.push(formatBytes(item.size));
  if (item.width && item.height) parts.push(`${item.width}×${item.height}`);
  if (item.duration) parts.push(formatDuration(item.duration));
  return parts.join(" · ");
}

/** The project's media, newest first: one row each, with its state and a link to its delivery URL. */
export function MediaList({ items, total }: { items: MediaItemView[]; total: number }) {
  return (
    <div className="rounded-xl border border-zinc-200 bg-white shadow-xs">
      <ul aria-label="Media" className="divide-y divide-zinc-100">
        {items.map((item) => {
          const status = STATUS[item.status];
          return (
            <li key={item.id} data-testid="media-row" data-media-id={item.mediaId ?? undefined} data-status={item.status} className="flex items-center gap-3 px-4 py-3">
              <Thumbnail item={item} />
              <div className="min-w-0 flex-1">
                <div className="truncate text-[13px] font-medium text-zinc-900" title={item.folder ? `${item.folder}/${item.name}` : item.name}>
                  {item.folder ? <span className="font-normal text-zinc-500">{item.folder}/</span> : null}
                  {item.url ? (
                    <a href={item.url} target="_blank" rel="noreferrer" className="hover:underline">
                      {item.name}
                    </a>
                  ) : (
                    item.name
                  )}
                </div>
                <div className="mt-0.5 text-xs text-zinc-500 sm:truncate">
                  {details(item)} · <RelativeTime iso={item.createdAt} />
                </div>
              </div>
              <Badge tone={status.tone} className="shrink-0">
                {item.status === "processing" ? <Spinner className="size-3" /> : null}
                <span data-testid="media-status">{status.label}</span>
              </Badge>
              {item.url ? (
                <a
                  href={item.url}
                  target="_blank"
                  rel="noreferrer"
                  className="hidden shrink-0 rounded-md px-2 py-1 text-[13px] font-medium text-indigo-600 hover:bg-indigo-50 sm:inline"
                  data-testid="media-link"
                >
                  Open
                </a>
              ) : null}
            </li>
          );
        })}
      </ul>
      {total > items.length ? (
        <p className="border-t border-zinc-100 px-4 py-2.5 text-xs text-zinc-500">
          Showing the newest {items.length} of {total}. The API lists them all: GET /api/media.
        </p>
      ) : null}
    </div>
  );
}
