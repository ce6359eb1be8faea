export * from './municipalities';
export * from './people';
export * from './census';
export * from './audit';
