import { IntakeRequestView } from '../modules/intake/IntakeRequestView.tsx';

export default function IntakeRequestPage() {
  return <IntakeRequestView />;
}
