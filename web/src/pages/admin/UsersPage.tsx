import { UsersAdmin } from '../../modules/admin/UsersAdmin.tsx';

export default function UsersPage() {
  return <UsersAdmin />;
}
