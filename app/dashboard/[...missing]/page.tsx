import { notFound } from "next/navigation";

// An unknown dashboard address shows the dashboard's own 404, inside its navigation, not the app's bare one.
export default function MissingDashboardPage() {
  notFound();
}
