import axios, { type AxiosInstance } from 'axios';
import type { Stack } from '../../stack/start';

/** The POS API of a test stack, as a till or an operator calls it. Every test reaches the API through this. */
export function apiClient(stack: Stack): AxiosInstance {
  return axios.create({ baseURL: stack.httpUrl, validateStatus: () => true });
}
