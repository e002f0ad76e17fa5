import { RegistrySearch } from '../modules/registry/components/RegistrySearch.tsx';

export default function RegistrySearchPage() {
  return <RegistrySearch />;
}
