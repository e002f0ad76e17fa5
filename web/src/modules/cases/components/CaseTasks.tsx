import { Card, Empty, Flex, Tag, Typography } from 'antd';
import type { CaseTask } from '../types.ts';
import { TASK_LABELS, TASK_STATUS } from '../utils/labels.ts';

/** Follow-up work the decisions created: written notices due, the county's home visit, paperwork. */
export function CaseTasks({ tasks, today }: { tasks: CaseTask[]; today: string }) {
  return (
    <Card title="待办事项" data-testid="case-tasks">
      {tasks.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无待办事项" />
      ) : (
        <Flex vertical gap={8}>
          {tasks.map((t) => {
            const status = TASK_STATUS[t.status] ?? { label: t.status, color: 'default' };
            const late = t.status === 'open' && t.dueOn < today;
            return (
              <div key={t.id} data-testid="case-task">
                <Flex justify="space-between" gap={8} wrap>
                  <Typography.Text strong>{TASK_LABELS[t.kind] ?? t.kind}</Typography.Text>
                  <span>
                    <span className="tabular">{t.dueOn}</span> 前{' '}
                    {late ? <Tag color="red">逾期</Tag> : <Tag color={status.color}>{status.label}</Tag>}
                  </span>
                </Flex>
                {t.note && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t.note}
                  </Typography.Text>
                )}
              </div>
            );
          })}
        </Flex>
      )}
    </Card>
  );
}
