export * from './residents';
export { censusEntryOf, censusEntriesOf, censusSize, putCensusEntry, type CensusEntry } from './census-state';
export {
	startCensusImport,
	censusUploadTarget,
	startCensusImportOfUpload,
	type CensusUpload,
	censusJob,
	runningCensusJob,
	MAX_CENSUS_UPLOAD,
	type CensusJob
} from './census-job';
