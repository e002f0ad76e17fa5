import { HouseholdCreate } from '../modules/registry/components/HouseholdCreate.tsx';

export default function HouseholdCreatePage() {
  return <HouseholdCreate />;
}
