import { Typography } from 'antd';
import type { ExplanationLine } from '../../../../src/domain/benefit/explanation.ts';

/** 计算说明: each step of a computed amount, with the rule it comes from. */
export function ExplanationList({ lines }: { lines: ExplanationLine[] }) {
  return (
    <ol style={{ margin: 0, paddingInlineStart: 20 }} data-testid="explanation">
      {lines.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the steps are a fixed list
        <li key={i}>
          <Typography.Text strong>{l.step}：</Typography.Text>
          {l.text}
          {l.rule && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {' '}
              （{l.rule}）
            </Typography.Text>
          )}
        </li>
      ))}
    </ol>
  );
}
