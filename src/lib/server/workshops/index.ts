export * from './workshops';
export * from './workshops-public';
export * from './workshops-pdf';
