import { CaseView } from '../modules/cases/components/CaseView.tsx';

export default function CasePage() {
  return <CaseView />;
}
