import { NotOpenPage } from '../../ui/NotOpenPage.tsx';

export default function UsersPage() {
  return <NotOpenPage title="UsersPage" description="建设中" />;
}
