export * from './residents';
