import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import { Logo } from "@/components/ui/icons";

export default function InviteLayout({ children }: { children: ReactNode }) {
  return (
    <Providers>
      <main className="flex min-h-screen flex-col items-center bg-zinc-50 px-4 pt-[12vh] pb-12">
        <div className="mb-8 flex items-center gap-2.5">
          <Logo className="size-8" />
          <span className="text-lg font-semibold tracking-tight text-zinc-900">Mediabit</span>
        </div>
        <div className="w-full max-w-md">{children}</div>
      </main>
    </Providers>
  );
}
