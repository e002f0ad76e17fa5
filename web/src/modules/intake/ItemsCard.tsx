import { ClockCircleOutlined } from '@ant-design/icons';
import { Button, Card, Col, Descriptions, Row, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ITEM_ACTIONS, type ItemActionCode } from '../../../../src/domain/intake/intake-rules.ts';
import { ItemActionModal } from './ItemActionModal.tsx';
import { DEADLINE_COLORS, DECISION_COLORS, deadlineText, nextStep } from './labels.ts';
import type { IntakeItem, IntakeRequest } from './types.ts';

interface Props {
  request: IntakeRequest;
  canWrite: boolean;
  onChanged(): void;
}

const PRIMARY: ItemActionCode[] = ['accept', 'forward', 'reply', 'inform'];

/** Each requested item: where it stands, what to do next, and the buttons for it. */
export function ItemsCard({ request: r, canWrite, onChanged }: Props) {
  const [dialog, setDialog] = useState<null | { item: IntakeItem; action: ItemActionCode }>(null);
  const noticeOpen = r.notice?.open ?? false;
  return (
    <Card title={`申请事项（${r.items.length}项）`} data-testid="items-card">
      <Row gutter={[16, 16]}>
        {r.items.map((item) => (
          <Col key={item.id} xs={24} xl={12}>
            <Card
              size="small"
              type="inner"
              data-testid={`item-${item.itemCode}`}
              title={
                <Space wrap size={[8, 4]}>
                  <span>{item.label}</span>
                  <Tag color={DECISION_COLORS[item.decision]} data-testid="item-decision">
                    {item.decisionLabel}
                  </Tag>
                  {item.deadline && (
                    <Tag
                      color={DEADLINE_COLORS[item.deadline.status]}
                      icon={<ClockCircleOutlined />}
                      data-testid="item-deadline"
                    >
                      {deadlineText(item.deadline, item.dueOn, r.today)}
                    </Tag>
                  )}
                </Space>
              }
            >
              <Typography.Paragraph style={{ marginBottom: 8 }} data-testid="item-next-step">
                <Typography.Text strong>下一步：</Typography.Text>
                {nextStep(item, noticeOpen)}
              </Typography.Paragraph>
              <Descriptions
                size="small"
                column={1}
                items={[
                  ...(item.department
                    ? [
                        {
                          key: 'dept',
                          label: item.decision === 'referred' ? '转介至' : '承办部门',
                          children: item.department,
                        },
                      ]
                    : []),
                  ...(item.forwardedOn
                    ? [
                        {
                          key: 'fwd',
                          label: item.decision === 'referred' ? '转介日期' : '转办日期',
                          children: item.forwardedOn,
                        },
                      ]
                    : []),
                  ...(item.dueOn ? [{ key: 'due', label: '答复期限', children: item.dueOn }] : []),
                  ...(item.reply
                    ? [
                        {
                          key: 'reply',
                          label: '部门答复',
                          children: (
                            <span>
                              {item.reply}（{item.repliedOn}
                              {item.repliedLate ? '，逾期答复' : ''}）
                            </span>
                          ),
                        },
                      ]
                    : []),
                  ...(item.reason
                    ? [
                        {
                          key: 'reason',
                          label: item.decision === 'rejected' ? '不予受理理由' : '说明',
                          children: item.reason,
                        },
                      ]
                    : []),
                  ...(item.applicantInformedOn
                    ? [{ key: 'informed', label: '告知申请人', children: item.applicantInformedOn }]
                    : []),
                ]}
              />
              {canWrite && item.actions.length > 0 && (
                <Space wrap style={{ marginTop: 8 }}>
                  {item.actions.map((a) => (
                    <Button
                      key={a}
                      type={PRIMARY.includes(a) ? 'primary' : 'default'}
                      danger={a === 'reject'}
                      onClick={() => setDialog({ item, action: a })}
                      data-testid={`action-${item.itemCode}-${a}`}
                    >
                      {ITEM_ACTIONS[a]}
                    </Button>
                  ))}
                </Space>
              )}
            </Card>
          </Col>
        ))}
      </Row>
      {dialog && (
        <ItemActionModal
          item={dialog.item}
          action={dialog.action}
          today={r.today}
          suggestedDue={r.suggestedForwardDue}
          onClose={() => setDialog(null)}
          onChanged={onChanged}
        />
      )}
    </Card>
  );
}
