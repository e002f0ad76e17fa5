import { PayrollList } from '../../modules/payments/PayrollList.tsx';

export default function PayrollsPage() {
  return <PayrollList />;
}
