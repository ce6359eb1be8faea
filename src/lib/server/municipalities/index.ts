export * from './municipalities';
export * from './zones';
export * from './ubigeo/ubigeo';
