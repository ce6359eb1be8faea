export * from './roles';
export * from './handover';
export * from './hints';
