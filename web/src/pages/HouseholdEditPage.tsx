import { NotOpenPage } from '../ui/NotOpenPage.tsx';

export default function HouseholdEditPage() {
  return <NotOpenPage title="HouseholdEditPage" description="建设中" />;
}
