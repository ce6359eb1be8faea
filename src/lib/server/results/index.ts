export * from './results';
export * from './auditor-zip';
