export * from './acta';
export * from './acta-pdf';
