import { HouseholdView } from '../modules/registry/components/HouseholdView.tsx';

export default function HouseholdPage() {
  return <HouseholdView />;
}
