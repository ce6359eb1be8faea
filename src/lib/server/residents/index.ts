export * from './residents';
export { startCensusImport, censusJob, runningCensusJob, MAX_CENSUS_UPLOAD, type CensusJob } from './census-job';
