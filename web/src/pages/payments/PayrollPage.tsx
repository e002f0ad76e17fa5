import { PayrollView } from '../../modules/payments/PayrollView.tsx';

export default function PayrollPage() {
  return <PayrollView />;
}
