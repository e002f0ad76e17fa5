import { Result, Tabs } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useMe } from '../auth/AuthProvider.tsx';
import { can } from '../auth/access.ts';
import { BatchPanel } from './BatchPanel.tsx';
import { QueryLog } from './QueryLog.tsx';
import { ReportList } from './ReportList.tsx';
import { SourcesPanel } from './SourcesPanel.tsx';

/** 家庭经济状况核对: reports, batch re-checks, department data sources and the query log, by permission. */
export function VerificationHome() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const tabs = [
    { key: 'reports', label: '核对报告', show: can(me, 'verify.read'), children: <ReportList /> },
    { key: 'batches', label: '批量复核核对', show: can(me, 'verify.batch'), children: <BatchPanel /> },
    {
      key: 'sources',
      label: '数据源',
      show: can(me, 'dept.manage') || can(me, 'dept.submit'),
      children: <SourcesPanel />,
    },
    { key: 'queries', label: '查询记录', show: can(me, 'dept.query_log'), children: <QueryLog /> },
  ].filter((t) => t.show);
  if (tabs.length === 0)
    return <Result status="403" title="无权访问" subTitle="您的角色不能使用家庭经济状况核对。" />;
  const active = tabs.some((t) => t.key === params.get('tab')) ? (params.get('tab') as string) : tabs[0]?.key;
  return (
    <Tabs
      activeKey={active}
      onChange={(key) => setParams({ tab: key })}
      destroyOnHidden
      items={tabs.map(({ key, label, children }) => ({ key, label, children }))}
      data-testid="verification-tabs"
    />
  );
}
