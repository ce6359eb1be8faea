export * from './voting';
