import { NotFoundPanel } from "@/components/dashboard/not-found-panel";

export default function DashboardNotFound() {
  return <NotFoundPanel backHref="/dashboard" backLabel="Back to the overview" />;
}
