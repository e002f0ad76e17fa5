import { ReportView } from '../../modules/verification/ReportView.tsx';

export default function ReportPage() {
  return <ReportView />;
}
