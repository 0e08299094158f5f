import { Runtime, makeTelemetryFilterString, type Logger as SdkLogger } from '@temporalio/worker';
import type { LogLevel, LogMetadata } from '@temporalio/common';
import type { Logger } from 'pino';

const PINO_METHOD: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error',
};

/** The Temporal SDK's logger interface on top of our pino logger (samples-typescript: custom-logger). */
export class PinoSdkLogger implements SdkLogger {
  constructor(private readonly pino: Logger) {}

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    // Core's own log records carry their origin in meta.sdkComponent; keep every field as is.
    this.pino[PINO_METHOD[level]]({ sdk: true, ...meta }, message);
  }
  trace(message: string, meta?: LogMetadata): void { this.pino.trace({ sdk: true, ...meta }, message); }
  debug(message: string, meta?: LogMetadata): void { this.pino.debug({ sdk: true, ...meta }, message); }
  info(message: string, meta?: LogMetadata): void { this.pino.info({ sdk: true, ...meta }, message); }
  warn(message: string, meta?: LogMetadata): void { this.pino.warn({ sdk: true, ...meta }, message); }
  error(message: string, meta?: LogMetadata): void { this.pino.error({ sdk: true, ...meta }, message); }
}

/**
 * Routes every SDK log through `log`: the TypeScript side (worker state, workflow and activity
 * `log` calls) and the Rust core's own records (forwarded, WARN and above), so nothing is printed
 * beside the JSON lines. Call once per process, before any worker or native connection. By default
 * SIGINT/SIGTERM shut the workers down gracefully; a process that stops its parts in its own order
 * (npm start) passes no signals.
 */
export function installSdkLogger(log: Logger, opts: { shutdownSignals?: NodeJS.Signals[] } = {}): void {
  Runtime.install({
    logger: new PinoSdkLogger(log),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }), forward: {} } },
    shutdownSignals: opts.shutdownSignals ?? ['SIGINT', 'SIGTERM'],
  });
}
