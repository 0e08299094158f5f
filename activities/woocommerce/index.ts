export * from './types';
export * from './oauth1';
export * from './errors';
export * from './batch';
export * from './client';
