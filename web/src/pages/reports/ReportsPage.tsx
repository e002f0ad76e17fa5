import { Reports } from '../../modules/reports/Reports.tsx';

export default function ReportsPage() {
  return <Reports />;
}
