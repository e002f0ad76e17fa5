import { NotOpenPage } from '../ui/NotOpenPage.tsx';

export default function DashboardPage() {
  return <NotOpenPage title="DashboardPage" description="建设中" />;
}
