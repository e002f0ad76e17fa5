import { NotOpenPage } from '../ui/NotOpenPage.tsx';

export default function RegistrySearchPage() {
  return <NotOpenPage title="RegistrySearchPage" description="建设中" />;
}
