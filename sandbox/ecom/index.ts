// Lightspeed eCom (C-Series) sandbox: a local shop that answers like api.webshopapp.com.
export { startEcomSandbox } from './server';
export type { EcomSandbox } from './server';
export type { EcomSandboxOptions, EcomSandboxStats, FaultOptions, FaultRule, PlaceOrderInput, RateLimitOptions, WebhookDelivery, WindowMode } from './types';
