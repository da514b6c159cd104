"use client";

// Daily delivery over the last 30 days (recharts; loaded on demand by usage-chart-lazy.tsx).
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatBytes } from "@/components/media/format";

export type UsageChartPoint = { t: string; deliveryBytes: number; requests: number };

const DAY = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });

function day(t: string): string {
  return DAY.format(new Date(`${t}T00:00:00Z`));
}

/** Round binary steps (0, 20 KB, 40 KB, 60 KB) up to the day with the most, so axis labels read as whole sizes. */
function byteTicks(max: number): number[] {
  if (max <= 0) return [0];
  let unit = 1;
  while (max / unit >= 1024) unit *= 1024;
  const scaled = max / unit;
  const step = [1, 2, 5, 10, 20, 50, 100, 200, 500].find((candidate) => scaled / candidate <= 4) ?? 1000;
  const steps = Math.ceil(scaled / step);
  return Array.from({ length: steps + 1 }, (_, i) => i * step * unit);
}

export function UsageChart({ series }: { series: UsageChartPoint[] }) {
  const ticks = byteTicks(Math.max(0, ...series.map((point) => point.deliveryBytes)));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={series} margin={{ top: 8, right: 4, bottom: 0, left: 0 }}>
        <CartesianGrid vertical={false} stroke="#f4f4f5" />
        <XAxis dataKey="t" tickFormatter={day} tick={{ fontSize: 11, fill: "#71717a" }} tickLine={false} axisLine={false} minTickGap={24} />
        <YAxis
          ticks={ticks}
          domain={[0, ticks.at(-1) ?? 0]}
          tickFormatter={(value: number) => (value === 0 ? "0" : formatBytes(value))}
          tick={{ fontSize: 11, fill: "#71717a" }}
          tickLine={false}
          axisLine={false}
          width={64}
        />
        <Tooltip
          cursor={{ fill: "#eef2ff" }}
          content={({ active, payload }) => {
            const point = active ? (payload?.[0]?.payload as UsageChartPoint | undefined) : undefined;
            if (!point) return null;
            return (
              <div className="rounded-lg border border-zinc-200 bg-white px-3 py-2 text-xs shadow-md">
                <div className="font-medium text-zinc-900">{day(point.t)}</div>
                <div className="mt-0.5 text-zinc-600">
                  {formatBytes(point.deliveryBytes)} delivered · {point.requests.toLocaleString("en")} {point.requests === 1 ? "request" : "requests"}
                </div>
              </div>
            );
          }}
        />
        <Bar dataKey="deliveryBytes" name="Delivered" fill="#6366f1" radius={[3, 3, 0, 0]} maxBarSize={28} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
