import { HouseholdEdit } from '../modules/registry/components/HouseholdEdit.tsx';

export default function HouseholdEditPage() {
  return <HouseholdEdit />;
}
