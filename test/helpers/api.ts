import axios, { type AxiosInstance } from 'axios';
import type { Stack } from '../../stack/start';
import { readLocalAdminToken } from '../../server/auth/local-admin-token';

/** The admin token the test stack created in its data folder, as `npm start` does. */
export function adminToken(stack: Stack): string {
  const token = readLocalAdminToken(stack.config.dataDir);
  if (!token) throw new Error(`the test stack has no admin token in ${stack.localAdminToken.path}`);
  return token;
}

/** The POS API of a test stack as an operator (admin token) calls it. Every test reaches the API through this. */
export function apiClient(stack: Stack, token: string | null = adminToken(stack)): AxiosInstance {
  return axios.create({
    baseURL: stack.httpUrl,
    validateStatus: () => true,
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });
}

const tillTokens = new WeakMap<Stack, Promise<string>>();

/** A till's token (role till), created once per stack through the API as an operator would. */
export function tillToken(stack: Stack): Promise<string> {
  let token = tillTokens.get(stack);
  if (!token) {
    token = (async () => {
      const res = await apiClient(stack).post('/api/tokens', { name: `till-${process.pid}-${Date.now()}`, role: 'till' });
      if (res.status !== 201) throw new Error(`creating a till token: ${res.status} ${JSON.stringify(res.data)}`);
      return res.data.token as string;
    })();
    tillTokens.set(stack, token);
  }
  return token;
}

/** The POS API as a till (role till) calls it. */
export async function tillClient(stack: Stack): Promise<AxiosInstance> {
  return apiClient(stack, await tillToken(stack));
}

/** The POS API without a token, as an unknown caller or another site's page reaches it. */
export function anonymousClient(stack: Stack): AxiosInstance {
  return apiClient(stack, null);
}
