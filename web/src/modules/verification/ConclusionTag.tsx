import { Tag } from 'antd';
import { conclusionColor, conclusionLabel } from './labels.ts';

/** 核对结论 as a coloured tag: green meets the conditions, red does not, orange cannot be confirmed. */
export function ConclusionTag({
  code,
  label,
  testId,
}: {
  code: string;
  label?: string | null | undefined;
  testId?: string;
}) {
  return (
    <Tag color={conclusionColor(code)} data-testid={testId}>
      {code} {conclusionLabel(code, label)}
    </Tag>
  );
}
