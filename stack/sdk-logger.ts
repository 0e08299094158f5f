import { Runtime, makeTelemetryFilterString, type Logger as SdkLogger } from '@temporalio/worker';
import type { LogLevel, LogMetadata } from '@temporalio/common';
import type { Logger } from 'pino';
import { subjectOfWorkflowId } from './log-subject';

const PINO_METHOD: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error',
};

/** The Temporal SDK's logger interface on top of our pino logger (samples-typescript: custom-logger). */
export class PinoSdkLogger implements SdkLogger {
  constructor(private readonly pino: Logger) {}

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    // Core's own log records carry their origin in meta.sdkComponent; keep every field as is.
    this.pino[PINO_METHOD[level]](withSubject(meta), message);
  }
  trace(message: string, meta?: LogMetadata): void { this.log('TRACE', message, meta); }
  debug(message: string, meta?: LogMetadata): void { this.log('DEBUG', message, meta); }
  info(message: string, meta?: LogMetadata): void { this.log('INFO', message, meta); }
  warn(message: string, meta?: LogMetadata): void { this.log('WARN', message, meta); }
  error(message: string, meta?: LogMetadata): void { this.log('ERROR', message, meta); }
}

/**
 * Every line about a product or connection names it under the same keys: `connection` (workflow
 * code often says connectionId), and what the workflow id tells when the line itself does not.
 */
function withSubject(meta: LogMetadata | undefined): Record<string, unknown> {
  const { connectionId, ...rest } = meta ?? {};
  return {
    sdk: true,
    ...subjectOfWorkflowId(rest.workflowId),
    ...(typeof connectionId === 'string' ? { connection: connectionId } : {}),
    ...rest,
  };
}

/**
 * Routes every SDK log through `log`: the TypeScript side (worker state, workflow and activity
 * `log` calls) and the Rust core's own records (forwarded, WARN and above), so nothing is printed
 * beside the JSON lines. Call once per process, before any worker or native connection. By default
 * SIGINT/SIGTERM shut the workers down gracefully; a process that stops its parts in its own order
 * (npm start) passes no signals. With `metricsBindAddress`, the SDK's Prometheus exporter listens
 * there (loopback; see server/metrics/exposition.ts).
 */
export function installSdkLogger(log: Logger, opts: { shutdownSignals?: NodeJS.Signals[]; metricsBindAddress?: string } = {}): void {
  Runtime.install({
    logger: new PinoSdkLogger(log),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }), forward: {} },
      // The SDK's own metrics (temporal_*: task latencies, slots, polls, ...), read through by the process's /metrics.
      ...(opts.metricsBindAddress ? { metrics: { prometheus: { bindAddress: opts.metricsBindAddress } } } : {}),
    },
    shutdownSignals: opts.shutdownSignals ?? ['SIGINT', 'SIGTERM'],
  });
}
