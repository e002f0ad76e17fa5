import { Tabs } from 'antd';
import { useNavigate } from 'react-router-dom';

/** The two kinds of payment: the monthly payrolls and one-off payments. */
export function PaymentsTabs({ active }: { active: 'payrolls' | 'one-off' }) {
  const navigate = useNavigate();
  return (
    <Tabs
      activeKey={active}
      style={{ marginBottom: -16 }}
      onChange={(key) => navigate(key === 'one-off' ? '/payments/one-off' : '/payments')}
      items={[
        { key: 'payrolls', label: '按月发放名册' },
        { key: 'one-off', label: '一次性发放（临时救助、医疗救助、节日补贴）' },
      ]}
      data-testid="payments-tabs"
    />
  );
}
