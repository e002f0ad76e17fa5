import { Empty, Space, Tag, Timeline, Typography } from 'antd';
import type { HistoryEntry } from '../types.ts';
import { describeEntry, type HistoryContext } from '../utils/history.ts';
import { formatChinaTime } from '../utils/labels.ts';

const COLORS: Record<string, string> = {
  'household.create': 'green',
  'household.add_member': 'green',
  'household.move': 'orange',
  'person.move': 'orange',
};

/** 变更记录: who changed what and when, "字段：旧值 → 新值" per changed field. */
export function HistoryList({ items, context }: { items: HistoryEntry[]; context: HistoryContext }) {
  if (items.length === 0) return <Empty description="暂无变更记录" image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <Timeline
      data-testid="history"
      items={items.map((entry) => {
        const d = describeEntry(entry, context);
        return {
          key: entry.id,
          color: COLORS[entry.action] ?? 'blue',
          content: (
            <div data-testid="history-entry">
              <Space size={[8, 0]} wrap>
                <Typography.Text type="secondary" className="tabular">
                  {formatChinaTime(entry.at)}
                </Typography.Text>
                <Typography.Text>{entry.displayName ?? entry.username ?? '系统'}</Typography.Text>
                <Tag color="blue" variant="filled">
                  {d.action}
                </Tag>
                {entry.personName && <Typography.Text strong>{entry.personName}</Typography.Text>}
              </Space>
              {d.summary && <div style={{ marginTop: 4 }}>{d.summary}</div>}
              {d.lines.length > 0 && (
                <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
                  {d.lines.map((l) => (
                    <li key={l.field} data-testid="history-change">
                      <span>{l.label}：</span>
                      <Typography.Text type="secondary">{l.before}</Typography.Text>
                      <span> → </span>
                      <Typography.Text strong>{l.after}</Typography.Text>
                    </li>
                  ))}
                </ul>
              )}
              {entry.detail && (
                <Typography.Text type="secondary" style={{ display: 'block', marginTop: 2 }}>
                  说明：{entry.detail}
                </Typography.Text>
              )}
            </div>
          ),
        };
      })}
    />
  );
}
