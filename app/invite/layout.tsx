import type { ReactNode } from "react";
import { AuthShell } from "@/components/auth/auth-shell";

export default function InviteLayout({ children }: { children: ReactNode }) {
  return <AuthShell width="wide">{children}</AuthShell>;
}
