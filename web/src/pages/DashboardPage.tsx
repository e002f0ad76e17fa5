import { Dashboard } from '../modules/dashboard/Dashboard.tsx';

export default function DashboardPage() {
  return <Dashboard />;
}
