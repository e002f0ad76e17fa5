import { PolicyAdmin } from '../../modules/policy/PolicyAdmin.tsx';

export default function PolicyPage() {
  return <PolicyAdmin />;
}
