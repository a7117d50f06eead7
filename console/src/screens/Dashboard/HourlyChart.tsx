import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatHour } from '../../components/format';
import type { HourBucket } from './hourly';

/** Redemptions (bars, left axis) and points redeemed (line, right axis) per hour. */
export function HourlyChart({ buckets, summary }: { buckets: HourBucket[]; summary: string }) {
  const data = buckets.map((b) => ({ ...b, label: formatHour(b.at) }));
  return (
    <div className="chart" role="img" aria-label={summary}>
      <ResponsiveContainer width="100%" height={280}>
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#d9dee5" />
          <XAxis dataKey="label" minTickGap={24} tick={{ fontSize: 12 }} />
          <YAxis yAxisId="count" allowDecimals={false} width={40} tick={{ fontSize: 12 }} />
          <YAxis yAxisId="points" orientation="right" width={56} tick={{ fontSize: 12 }} />
          <Tooltip />
          <Legend />
          <Bar
            yAxisId="count"
            dataKey="redemptions"
            name="Redemptions"
            fill="#2f6db3"
            isAnimationActive={false}
          />
          <Line
            yAxisId="points"
            type="monotone"
            dataKey="points"
            name="Points redeemed"
            stroke="#b35900"
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
