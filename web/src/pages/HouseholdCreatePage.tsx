import { NotOpenPage } from '../ui/NotOpenPage.tsx';

export default function HouseholdCreatePage() {
  return <NotOpenPage title="HouseholdCreatePage" description="建设中" />;
}
