import { OneOffList } from '../../modules/payments/OneOffList.tsx';

export default function OneOffPage() {
  return <OneOffList />;
}
