import { isAxiosError, type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import { shopRequestSeconds, shopRequests } from '../../server/metrics/process-metrics';

/**
 * Counts every request a shop client sends, by connection, method and answer (possync_shop_requests_total:
 * the HTTP status, or `timeout` / `network` when none came), and times it.
 */
export function instrumentShopRequests(http: AxiosInstance, connection: string): void {
  const started = new WeakMap<InternalAxiosRequestConfig, number>();
  const observe = (config: InternalAxiosRequestConfig | undefined, status: string) => {
    const method = (config?.method ?? 'get').toUpperCase();
    shopRequests.inc({ connection, method, status });
    const at = config ? started.get(config) : undefined;
    if (at !== undefined) shopRequestSeconds.observe({ connection, method }, (performance.now() - at) / 1000);
  };
  http.interceptors.request.use((config) => {
    started.set(config, performance.now());
    return config;
  });
  http.interceptors.response.use(
    (res) => {
      observe(res.config, String(res.status));
      return res;
    },
    (err: unknown) => {
      if (isAxiosError(err)) {
        if (err.response) observe(err.config, String(err.response.status));
        else observe(err.config, err.code === 'ERR_CANCELED' || err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT' ? 'timeout' : 'network');
      }
      return Promise.reject(err);
    },
  );
}
