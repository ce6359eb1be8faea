export * from './municipalities';
export * from './people';
export * from './census';
export * from './audit';
export * from './rounds';
export * from './agents';
export * from './proposals';
export * from './council';
