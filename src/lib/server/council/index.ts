export * from './council';
export * from './council-pdf';
