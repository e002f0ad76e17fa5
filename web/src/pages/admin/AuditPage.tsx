import { AuditLog } from '../../modules/admin/AuditLog.tsx';

export default function AuditPage() {
  return <AuditLog />;
}
