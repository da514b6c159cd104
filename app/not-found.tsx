import type { Metadata } from "next";
import { NotFoundPanel } from "@/components/dashboard/not-found-panel";
import { Logo } from "@/components/ui/icons";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center bg-zinc-50 px-4 pt-[12vh] pb-12">
      <div className="mb-8 flex items-center gap-2.5">
        <Logo className="size-8" />
        <span className="text-lg font-semibold tracking-tight text-zinc-900">Mediabit</span>
      </div>
      <div className="w-full max-w-md">
        <NotFoundPanel backHref="/dashboard" backLabel="Go to the dashboard" />
      </div>
    </main>
  );
}
