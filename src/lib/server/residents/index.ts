export * from './residents';
export {
	startCensusImport,
	startCensusImportFrom,
	censusJob,
	runningCensusJob,
	MAX_CENSUS_UPLOAD,
	type CensusJob
} from './census-job';
