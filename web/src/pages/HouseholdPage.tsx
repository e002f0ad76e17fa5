import { NotOpenPage } from '../ui/NotOpenPage.tsx';

export default function HouseholdPage() {
  return <NotOpenPage title="HouseholdPage" description="建设中" />;
}
