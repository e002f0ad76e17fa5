import { Card, Tag, Timeline, Typography } from 'antd';
import type { CaseEvent } from '../types.ts';
import {
  describeEffect,
  FACT_EVENT_LABELS,
  formatChinaTime,
  OPINION_LABELS,
  SUPPORT_MODE_LABELS,
  TERMINATION_REASON_LABELS,
} from '../utils/labels.ts';

/** What the clerk filled in for an event, one line per field. */
function inputLines(e: CaseEvent, userLabel: (id: number) => string): [string, string][] {
  const i = e.input;
  if (!i || e.action === 'open') return [];
  const lines: [string, string][] = [];
  if (i.opinion) lines.push(['初审意见', OPINION_LABELS[i.opinion] ?? i.opinion]);
  if (i.supportMode) lines.push(['供养方式', SUPPORT_MODE_LABELS[i.supportMode] ?? i.supportMode]);
  if (i.terminationReason)
    lines.push(['终止情形', TERMINATION_REASON_LABELS[i.terminationReason] ?? i.terminationReason]);
  if (i.deathDate) lines.push(['死亡日期', i.deathDate]);
  if (i.exitMonths !== undefined) lines.push(['渐退期', `${i.exitMonths}个月`]);
  if (i.noticeDays !== undefined) lines.push(['公示天数', `${i.noticeDays}天`]);
  if (i.toTownCode) lines.push(['迁入乡镇', i.toTownCode]);
  if (i.investigatorUserIds) lines.push(['调查人员', i.investigatorUserIds.map(userLabel).join('、')]);
  if (i.findings) lines.push([e.action === 'record_investigation' ? '调查情况' : '核查情况', i.findings]);
  if (i.summary) lines.push(['内容', i.summary]);
  if (i.assessor) lines.push(['评估人', i.assessor]);
  if (i.reasons) lines.push(['理由', i.reasons]);
  return lines;
}

function colorOf(e: CaseEvent): string {
  if (e.action.startsWith('record_')) return 'gray';
  if (e.toState === 'approved' || e.toState === 'paid') return 'green';
  if (['refuse', 'terminate', 'find_ineligible', 'close_ineligible'].includes(e.action)) return 'red';
  return 'blue';
}

interface Props {
  events: CaseEvent[];
  /** How to name a user id (the current user by name, others by number). */
  userLabel(id: number): string;
}

/** 办理记录: every step taken on the case in order, with the date it was decided, who, what and its effects. */
export function CaseHistory({ events, userLabel }: Props) {
  return (
    <Card title="办理记录" data-testid="case-history">
      <Timeline
        items={events.map((e) => {
          const fact = e.action.startsWith('record_');
          const lines = inputLines(e, userLabel);
          return {
            key: e.id,
            color: colorOf(e),
            content: (
              <div data-testid="case-event">
                <div>
                  <Typography.Text strong>{FACT_EVENT_LABELS[e.action] ?? e.label}</Typography.Text>
                  {!fact && e.fromState !== e.toState && (
                    <Tag style={{ marginInlineStart: 8 }} color={colorOf(e) === 'red' ? 'red' : 'blue'}>
                      {e.toStateLabel}
                    </Tag>
                  )}
                </div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {fact ? '登记日期' : '办理日期'} <span className="tabular">{e.decidedOn}</span> · {e.actor}{' '}
                  · 录入于 <span className="tabular">{formatChinaTime(e.at)}</span>
                </Typography.Text>
                {lines.map(([k, v]) => (
                  <div key={k} style={{ fontSize: 13 }}>
                    <Typography.Text type="secondary">{k}：</Typography.Text>
                    {v}
                  </div>
                ))}
                {e.effects.map((effect) => (
                  <div key={JSON.stringify(effect)} style={{ fontSize: 13 }} data-testid="case-effect">
                    <Typography.Text type="success">→ {describeEffect(effect)}</Typography.Text>
                  </div>
                ))}
              </div>
            ),
          };
        })}
      />
    </Card>
  );
}
