export * from './roles';
export * from './handover';
