"use client";

// The chart library loads after the page, so it stays out of the Overview's initial JavaScript.
import dynamic from "next/dynamic";
import type { UsageChartPoint } from "./usage-chart";

const UsageChart = dynamic(() => import("./usage-chart").then((module) => module.UsageChart), {
  ssr: false,
  loading: () => <div className="size-full animate-pulse rounded-lg bg-zinc-50" />,
});

export function LazyUsageChart({ series }: { series: UsageChartPoint[] }) {
  return <UsageChart series={series} />;
}
