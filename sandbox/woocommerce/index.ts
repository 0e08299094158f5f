// WooCommerce REST v3 sandbox: a local store that answers like the recorded real one.
export { startWooSandbox } from './server';
export { oauthBaseUri, oauthSignature, oauthSignatureBaseString, signOAuth1 } from './oauth1';
export type { OAuthParams, OAuthParamValue, OAuthSignatureMethod } from './oauth1';
export { webhookSignature } from './webhook-hub';
export { emptyListFault } from './faults';
export { resetStateFile, sandboxStateFile } from './persistence';
export type {
  FaultOptions,
  FaultRule,
  LatencyOptions,
  SandboxState,
  SandboxStats,
  SeededOrders,
  SeedOrdersOptions,
  WebhookDeliveryRecord,
  WebhookFaultOptions,
  WooSandbox,
  WooSandboxOptions,
} from './types';
