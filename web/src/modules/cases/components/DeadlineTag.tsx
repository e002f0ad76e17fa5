import { Space, Tag, Typography } from 'antd';
import type { DeadlineStatus } from '../types.ts';
import { DEADLINE_TAGS, NOTICE_STATES, NOTICE_TAGS } from '../utils/labels.ts';

interface Props {
  state: string;
  deadline: { due: string; status: DeadlineStatus; workingDaysLeft: number } | null;
  /** Show the due date beside the tag (the list does; the case page writes it out itself). */
  showDue?: boolean;
}

/** How much time the current step has left: 逾期 red, 今日到期 orange, 即将到期 gold, 正常 green. */
export function DeadlineTag({ state, deadline, showDue = true }: Props) {
  if (!deadline) return <Typography.Text type="secondary">无时限</Typography.Text>;
  const notice = NOTICE_STATES.includes(state);
  const tag = (notice ? NOTICE_TAGS : DEADLINE_TAGS)[deadline.status];
  const left = deadline.workingDaysLeft;
  const detail = notice
    ? null
    : deadline.status === 'overdue'
      ? `超期${-left}个工作日`
      : deadline.status === 'due_today'
        ? null
        : `剩${left}个工作日`;
  return (
    <Space size={4} wrap data-testid="deadline" data-status={deadline.status}>
      {showDue && <span className="tabular">{deadline.due}</span>}
      <Tag color={tag.color} style={{ marginInlineEnd: 0 }}>
        {tag.label}
      </Tag>
      {detail && (
        <Typography.Text
          type={deadline.status === 'overdue' ? 'danger' : 'secondary'}
          style={{ fontSize: 12 }}
        >
          {detail}
        </Typography.Text>
      )}
    </Space>
  );
}
