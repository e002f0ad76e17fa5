import { CheckCircleFilled, RightOutlined, StopOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Typography } from 'antd';
import type { Me } from '../../auth/access.ts';
import type { CaseAction, CaseDetail, Refusal } from '../types.ts';
import { ADVERSE, describeEffect, isTerminal, MAIN_PATHS, machineOf, rolesOf } from '../utils/labels.ts';
import type { FactKind } from './FactModal.tsx';

interface Props {
  c: CaseDetail;
  me: Me;
  onAction(action: CaseAction): void;
  onFact(kind: FactKind): void;
}

const COUNTY_ROLES = ['county_approver', 'county_admin'];

/** Where the case is on its procedure's main road (the last main step reached, for a side state). */
function position(c: CaseDetail): number {
  const path = MAIN_PATHS[c.procedure] ?? [];
  const at = path.indexOf(c.state);
  if (at >= 0) return at;
  return c.events.reduce((last, e) => Math.max(last, path.indexOf(e.toState)), -1);
}

/** An action that moves the case forward on the main road. */
function forward(c: CaseDetail, a: CaseAction): boolean {
  return !ADVERSE.has(a.action) && (MAIN_PATHS[c.procedure] ?? []).indexOf(a.to) > position(c);
}

/** Actions I may take first (the one moving the case on before the rest), then those held back, then others'. */
function rank(c: CaseDetail, a: CaseAction): number {
  if (a.allowed) return forward(c, a) ? 0 : 1;
  return a.refusals.some((r) => r.code === 'role_not_allowed') ? 3 : 2;
}

/**
 * 下一步: every action that leads out of the current state, as a button; one that cannot be taken now is
 * disabled with the reasons right under it (or who must take it), so what to do next is plain.
 */
export function NextStep({ c, me, onAction, onFact }: Props) {
  const states = (machineOf(c.procedure)?.states ?? {}) as Record<string, { label: string }>;
  const actions = [...c.actions].sort((a, b) => rank(c, a) - rank(c, b));
  const allowed = actions.filter((a) => a.allowed);
  const others = actions.filter((a) => rank(c, a) === 3);

  if (isTerminal(c.procedure, c.state) || actions.length === 0) {
    const effects = c.events.at(-1)?.effects ?? [];
    const lines = [
      c.decidedOn ? `决定日期 ${c.decidedOn}` : null,
      ...effects.map((e) => describeEffect(e)),
      c.reasons ? `理由：${c.reasons}` : null,
    ].filter((l): l is string => l !== null);
    return (
      <Card title="下一步" data-testid="next-step">
        <Alert
          type={c.state === 'approved' || c.state === 'paid' || c.state === 'completed' ? 'success' : 'info'}
          showIcon
          title={`本案已办结：${c.stateLabel}`}
          description={
            lines.length > 0 ? (
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {lines.map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ul>
            ) : undefined
          }
        />
      </Card>
    );
  }

  const summary =
    allowed.length > 0
      ? '请选择要办理的事项：'
      : others.length === actions.length
        ? `当前环节由${[...new Set(others.map((a) => rolesOf(c.procedure, a.action)))].join('或')}办理，您暂无需操作。`
        : '当前还不能办理，请先处理下面列出的原因。';

  const fix = (r: Refusal) => {
    if (r.code === 'team_too_small')
      return (
        <Button type="link" size="small" onClick={() => onFact('investigation')}>
          登记调查组
        </Button>
      );
    if (r.code === 'county_home_visit_missing' && COUNTY_ROLES.includes(me.role))
      return (
        <Button type="link" size="small" onClick={() => onFact('county_home_visit')}>
          登记县级入户核查
        </Button>
      );
    return null;
  };

  return (
    <Card title="下一步" data-testid="next-step">
      <Typography.Paragraph strong style={{ marginBottom: 12 }}>
        {summary}
      </Typography.Paragraph>
      <Flex vertical gap={12}>
        {actions.map((a, i) => {
          const byRole = a.refusals.find((r) => r.code === 'role_not_allowed');
          return (
            <div
              key={a.action}
              data-testid={`action-${a.action}`}
              data-allowed={a.allowed}
              style={{ borderBottom: '1px dashed #f0f0f0', paddingBottom: 10 }}
            >
              <Flex align="center" gap={8} wrap>
                <Button
                  type={i === 0 && rank(c, a) === 0 ? 'primary' : 'default'}
                  danger={a.allowed && ADVERSE.has(a.action)}
                  disabled={!a.allowed}
                  onClick={() => onAction(a)}
                  icon={a.allowed ? <CheckCircleFilled /> : undefined}
                >
                  {a.label}
                </Button>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  <RightOutlined style={{ fontSize: 10 }} /> {states[a.to]?.label ?? a.to}
                </Typography.Text>
              </Flex>
              {!a.allowed && (
                <ul style={{ margin: '6px 0 0', paddingInlineStart: 4, listStyle: 'none' }}>
                  {byRole ? (
                    <li>
                      <Typography.Text type="secondary">
                        <UserOutlined /> 需由{rolesOf(c.procedure, a.action)}办理
                      </Typography.Text>
                    </li>
                  ) : (
                    a.refusals.map((r) => (
                      <li key={r.code} data-testid="refusal">
                        <Typography.Text type="danger">
                          <StopOutlined /> {r.message}
                        </Typography.Text>
                        {r.source && (
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {' '}
                            （依据：{r.source}）
                          </Typography.Text>
                        )}
                        {fix(r)}
                      </li>
                    ))
                  )}
                </ul>
              )}
            </div>
          );
        })}
      </Flex>
    </Card>
  );
}
