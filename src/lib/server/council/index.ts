export * from './council';
export * from './council-pdf';
export * from './corrections';
