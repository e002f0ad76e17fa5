import { Steps } from 'antd';
import type { CaseDetail } from '../types.ts';
import { isTerminal, MAIN_PATHS, machineOf } from '../utils/labels.ts';

type Step = { title: string; status: 'wait' | 'process' | 'finish' | 'error' };

/** States reachable from `state` by the procedure's actions. */
function reachable(procedure: string, state: string): Set<string> {
  const actions = machineOf(procedure)?.actions ?? [];
  const seen = new Set<string>([state]);
  const queue = [state];
  for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
    for (const a of actions) {
      if (a.from.includes(s) && !seen.has(a.to)) {
        seen.add(a.to);
        queue.push(a.to);
      }
    }
  }
  return seen;
}

/**
 * The procedure's main road with the case's place on it. A case on a side road (民主评议, 不予确认,
 * 终结…) shows that state after the last main step it reached, then the main steps still ahead of it.
 */
export function progressSteps(c: CaseDetail): Step[] {
  const states = (machineOf(c.procedure)?.states ?? {}) as Record<string, { label: string }>;
  const label = (s: string) => states[s]?.label ?? s;
  const path = MAIN_PATHS[c.procedure] ?? [];
  const terminal = isTerminal(c.procedure, c.state);
  const at = path.indexOf(c.state);
  if (at >= 0) {
    return path.map((s, i) => ({
      title: label(s),
      status: i < at || (i === at && terminal) ? 'finish' : i === at ? 'process' : 'wait',
    }));
  }
  let anchor = -1;
  for (const e of c.events) {
    const i = path.indexOf(e.toState);
    if (i >= 0) anchor = i;
  }
  const ahead = reachable(c.procedure, c.state);
  return [
    ...path.slice(0, anchor + 1).map((s): Step => ({ title: label(s), status: 'finish' })),
    { title: c.stateLabel, status: terminal ? 'error' : 'process' },
    ...path
      .slice(anchor + 1)
      .filter((s) => ahead.has(s))
      .map((s): Step => ({ title: label(s), status: 'wait' })),
  ];
}

export function CaseProgress({ c }: { c: CaseDetail }) {
  const steps = progressSteps(c);
  const i = steps.findIndex((s) => s.status === 'process' || s.status === 'error');
  const current = i >= 0 ? i : steps.length - 1;
  return <Steps size="small" current={current} items={steps} responsive data-testid="case-progress" />;
}
