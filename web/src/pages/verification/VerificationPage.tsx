import { VerificationHome } from '../../modules/verification/VerificationHome.tsx';

export default function VerificationPage() {
  return <VerificationHome />;
}
