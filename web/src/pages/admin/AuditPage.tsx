import { NotOpenPage } from '../../ui/NotOpenPage.tsx';

export default function AuditPage() {
  return <NotOpenPage title="AuditPage" description="建设中" />;
}
