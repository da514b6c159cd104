import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import { cn } from "@/components/ui/cn";
import { Logo } from "@/components/ui/icons";

/** The signed-out frame: logo above one centred column (sign-in and sign-up forms are narrow, invitations wider). */
export function AuthShell({ children, width = "narrow" }: { children: ReactNode; width?: "narrow" | "wide" }) {
  return (
    <Providers>
      <main className="flex min-h-screen flex-col items-center bg-zinc-50 px-4 pt-[12vh] pb-12">
        <div className="mb-8 flex items-center gap-2.5">
          <Logo className="size-8" />
          <span className="text-lg font-semibold tracking-tight text-zinc-900">Mediabit</span>
        </div>
        <div className={cn("w-full", width === "wide" ? "max-w-md" : "max-w-sm")}>{children}</div>
      </main>
    </Providers>
  );
}
