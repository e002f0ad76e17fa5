import { CaseList } from '../modules/cases/components/CaseList.tsx';

export default function ApprovalPage() {
  return <CaseList />;
}
