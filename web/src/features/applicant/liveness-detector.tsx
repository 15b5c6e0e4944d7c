/**
 * Loaded with React.lazy when the face check starts: the detector, tfjs and the Amplify
 * libraries stay out of the applicant's first load.
 */
import '@aws-amplify/ui-react/styles.css';
import {
  type AwsCredentialProvider,
  FaceLivenessDetector,
  FaceLivenessDetectorCore,
} from '@aws-amplify/ui-react-liveness';
import { Amplify } from 'aws-amplify';
import type { RuntimeConfig } from '../../lib/runtime-config.ts';

export interface LivenessDetectorProps {
  readonly config: RuntimeConfig;
  readonly sessionId: string;
  readonly onAnalysisComplete: () => Promise<void>;
  readonly onError: (state: string) => void;
  readonly onUserCancel: () => void;
}

// The local endpoint ignores signatures; the component only needs something to sign with.
const localCredentials: AwsCredentialProvider = async () => ({
  accessKeyId: 'local',
  secretAccessKey: 'local',
});

/**
 * The SDK's websocket middleware always turns the endpoint's scheme into wss:, and the local
 * endpoint speaks plain ws on localhost; wrapping the page's WebSocket before the component
 * connects leaves the pinned component unmodified. Only loopback URLs are rewritten.
 */
function allowPlainWebSocketTo(endpoint: string) {
  const target = new URL(endpoint);
  const loopback = ['localhost', '127.0.0.1', '[::1]'];
  if (target.protocol !== 'http:' || !loopback.includes(target.hostname)) return;
  const Native = window.WebSocket;
  if ((Native as { plainLoopback?: boolean }).plainLoopback) return;
  class LoopbackWebSocket extends Native {
    static plainLoopback = true;
    constructor(url: string | URL, protocols?: string | string[]) {
      const parsed = new URL(url);
      if (parsed.protocol === 'wss:' && parsed.host === target.host) parsed.protocol = 'ws:';
      super(parsed, protocols);
    }
  }
  window.WebSocket = LoopbackWebSocket;
}

let amplifyConfigured = false;

export default function LivenessDetector({
  config,
  sessionId,
  onAnalysisComplete,
  onError,
  onUserCancel,
}: LivenessDetectorProps) {
  const { liveness } = config;
  const assets = {
    ...(liveness.faceModelUrl ? { faceModelUrl: liveness.faceModelUrl } : {}),
    ...(liveness.wasmPath ? { binaryPath: liveness.wasmPath } : {}),
  };
  const common = {
    sessionId,
    region: config.region,
    onAnalysisComplete,
    onError: (error: { state: string }) => onError(error.state),
    onUserCancel,
  };

  if (config.mode === 'local') {
    if (liveness.endpoint) allowPlainWebSocketTo(liveness.endpoint);
    return (
      <FaceLivenessDetectorCore
        {...common}
        config={{
          ...assets,
          credentialProvider: localCredentials,
          ...(liveness.endpoint ? { endpointOverride: liveness.endpoint } : {}),
        }}
      />
    );
  }
  if (!amplifyConfigured && liveness.identityPoolId) {
    // Guest credentials from the identity pool, whose role may only start liveness sessions.
    Amplify.configure({
      Auth: { Cognito: { identityPoolId: liveness.identityPoolId, allowGuestAccess: true } },
    });
    amplifyConfigured = true;
  }
  return <FaceLivenessDetector {...common} config={assets} />;
}
