import { useMemo } from 'react';

import type { components } from '@/api/schema';
import { Chart } from '@/components/chart/Chart';
import { formatDecimal } from '@/formatting/numbers';
import { scoreChartHeight, scoreChartOption } from '@/features/wwi-suppliers/components/score-chart';

type SupplierScore = components['schemas']['SupplierScore'];

/** A horizontal score bar per supplier, best first. */
export function ScoreChart({ suppliers }: { suppliers: SupplierScore[] }) {
  const option = useMemo(() => scoreChartOption(suppliers), [suppliers]);
  const best = suppliers[0];
  const worst = suppliers.at(-1);
  return (
    <Chart
      option={option}
      height={scoreChartHeight(suppliers.length)}
      label={`Supplier scores from 0 to 100 for ${suppliers.length} suppliers${
        best && worst ? `: best ${best.supplier} ${formatDecimal(best.score)}, lowest ${worst.supplier} ${formatDecimal(worst.score)}` : ''
      }`}
    />
  );
}
